package io.glimpse.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.ops.embedded.EmbeddedStack;
import io.glimpse.schemas.topic.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Test topics on an embedded stack: created with one partition, read back from the beginning. */
final class TopicRecords {
  private TopicRecords() {}

  /** Creates a one-partition topic. */
  static String create(EmbeddedStack stack, String name) {
    stack.broker().createTopics(List.of(new NewTopic(name, 1, (short) 1)));
    return name;
  }

  /**
   * Reads the committed records of {@code topic} from the beginning until there are {@code count}
   * of them, then reads a little longer to catch any extra one.
   *
   * @throws AssertionError when fewer than {@code count} arrive within 30 s
   */
  static <K, V> List<ConsumerRecord<K, V>> read(EmbeddedStack stack, Topic<K, V> topic, int count) {
    String name = topic.name();
    Map<String, Object> config = new HashMap<>(stack.clientConfig());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<K, V>> records = new ArrayList<>();
    try (KafkaConsumer<K, V> consumer =
        new KafkaConsumer<>(
            config,
            topic.keySerde(stack.clientConfig()).deserializer(),
            topic.valueSerde(stack.clientConfig()).deserializer())) {
      TopicPartition partition = new TopicPartition(name, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      consumer.poll(Duration.ofMillis(300)).forEach(records::add);
    }
    assertThat(records).as("records on " + name).hasSizeGreaterThanOrEqualTo(count);
    return records;
  }
}
