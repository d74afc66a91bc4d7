package io.glimpse.trainer.publish;

import io.glimpse.schemas.topic.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a compacted topic from the beginning to its current end, without a consumer group, and
 * returns the latest value of each key (a tombstone removes the key): the table the topic stands
 * for, as of now.
 */
final class CompactedTopicReader {

  private final Map<String, Object> consumerConfig;
  private final Map<String, Object> serdeConfig;
  private final Duration timeout;

  CompactedTopicReader(
      Map<String, Object> clientConfig, Map<String, Object> serdeConfig, Duration timeout) {
    this.consumerConfig = new HashMap<>(clientConfig);
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerConfig.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "glimpse-trainer-reader");
    this.serdeConfig = serdeConfig;
    this.timeout = timeout;
  }

  /** Returns the latest value of every key accepted by {@code keys}. */
  <V> Map<String, V> read(Topic<String, V> topic, Predicate<String> keys) throws PublishException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, V> table = new HashMap<>();
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(
            consumerConfig,
            topic.keySerde(serdeConfig).deserializer(),
            topic.valueSerde(serdeConfig).deserializer())) {
      List<TopicPartition> partitions = partitions(consumer, topic.name());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      while (!reached(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new PublishException(
              "reading " + topic.name() + " to its end took over " + timeout + "; is Kafka up?");
        }
        for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.key() != null && keys.test(record.key())) {
            if (record.value() == null) {
              table.remove(record.key());
            } else {
              table.put(record.key(), record.value());
            }
          }
        }
      }
    } catch (KafkaException e) {
      throw new PublishException(
          "cannot read " + topic.name() + ": " + e.getMessage() + "; check the Kafka settings", e);
    }
    return table;
  }

  private List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
    return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
  }

  private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
