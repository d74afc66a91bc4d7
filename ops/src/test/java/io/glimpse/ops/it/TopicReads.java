package io.glimpse.ops.it;

import io.glimpse.schemas.topic.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a compacted topic from the beginning for the newest value of one key. */
final class TopicReads {
  private TopicReads() {}

  /**
   * Polls {@code topic} from the beginning until the newest value of {@code key} matches {@code
   * until}, and returns it.
   *
   * @throws AssertionError when no such value arrives within {@code timeout}
   */
  static <V> V latest(
      Map<String, Object> clientConfig,
      Topic<String, V> topic,
      String key,
      Duration timeout,
      Predicate<V> until) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(
            config,
            topic.keySerde(clientConfig).deserializer(),
            topic.valueSerde(clientConfig).deserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      V newest = null;
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
          if (key.equals(record.key())) {
            newest = record.value();
          }
        }
        if (newest != null && until.test(newest)) {
          return newest;
        }
      }
      throw new AssertionError(
          "No value of " + key + " in " + topic.name() + " matched: " + newest);
    }
  }
}
