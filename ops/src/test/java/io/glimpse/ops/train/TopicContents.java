package io.glimpse.ops.train;

import io.glimpse.ops.embedded.EmbeddedStack;
import io.glimpse.schemas.topic.Topic;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a whole topic of the embedded stack: the latest value per key, in arrival order. */
final class TopicContents {

  private TopicContents() {}

  static <V> Map<String, V> latestByKey(EmbeddedStack stack, Topic<String, V> topic) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            stack.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "test-" + UUID.randomUUID());
    Map<String, V> latest = new LinkedHashMap<>();
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(
            config,
            topic.keySerde(stack.clientConfig()).deserializer(),
            topic.valueSerde(stack.clientConfig()).deserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
          latest.put(record.key(), record.value());
        }
      }
    }
    return latest;
  }
}
