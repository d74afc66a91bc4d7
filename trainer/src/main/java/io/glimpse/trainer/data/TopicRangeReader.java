package io.glimpse.trainer.data;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a pinned {@link TopicRange} record by record, partition after partition in offset order,
 * with a consumer that is assigned each partition and joins no group: no {@code group.id}, nothing
 * committed, no other reader disturbed. It reads {@code read_committed}, so aborted transactions
 * are never trained on.
 */
final class TopicRangeReader {

  private static final Duration POLL = Duration.ofMillis(200);

  private final Map<String, Object> clientConfig;
  private final Duration timeout;

  /**
   * @param clientConfig bootstrap servers and client settings; any {@code group.id} is dropped
   * @param timeout how long to wait for the next record before giving up
   */
  TopicRangeReader(Map<String, Object> clientConfig, Duration timeout) {
    this.clientConfig = clientConfig;
    this.timeout = timeout;
  }

  /**
   * Reads every record of the range into {@code collector}.
   *
   * @throws DatasetException when Kafka fails or a partition stops short of the range's end
   */
  void read(TopicRange range, RecordSink collector) throws DatasetException {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      for (TopicRange.PartitionRange p : range.partitions()) {
        if (p.size() > 0) {
          read(consumer, new TopicPartition(range.topic(), p.partition()), p, collector);
        }
      }
    } catch (KafkaException e) {
      throw new DatasetException(
          "cannot read "
              + range
              + " from Kafka: "
              + e.getMessage()
              + "; check --bootstrap-servers and that the topic still retains the range",
          e);
    }
  }

  private void read(
      KafkaConsumer<byte[], byte[]> consumer,
      TopicPartition partition,
      TopicRange.PartitionRange range,
      RecordSink collector)
      throws DatasetException {
    consumer.assign(List.of(partition));
    consumer.seek(partition, range.start());
    long quietSince = System.nanoTime();
    while (consumer.position(partition) < range.end()) {
      boolean progressed = false;
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        progressed = true;
        if (record.offset() < range.end()) {
          collector.accept(record.partition(), record.offset(), record.key(), record.value());
        }
      }
      if (progressed) {
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince > timeout.toNanos()) {
        throw new DatasetException(
            "no record of "
                + partition
                + " arrived for "
                + timeout.toSeconds()
                + " s at offset "
                + consumer.position(partition)
                + " (range end "
                + range.end()
                + "); check that Kafka is up and still retains the range");
      }
    }
  }

  /**
   * Pins what a topic holds now: every partition from its first retained offset to its end.
   *
   * @throws DatasetException when Kafka fails or the topic does not exist
   */
  TopicRange wholeTopic(String topic) throws DatasetException {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var infos = consumer.partitionsFor(topic, timeout);
      if (infos == null || infos.isEmpty()) {
        throw new DatasetException("topic " + topic + " does not exist; create it or name another");
      }
      List<TopicPartition> partitions =
          infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      Map<TopicPartition, Long> first = consumer.beginningOffsets(partitions, timeout);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      return new TopicRange(
          topic,
          partitions.stream()
              .map(p -> new TopicRange.PartitionRange(p.partition(), first.get(p), end.get(p)))
              .toList());
    } catch (KafkaException e) {
      throw new DatasetException(
          "cannot read topic " + topic + " from Kafka: " + e.getMessage(), e);
    }
  }

  private Map<String, Object> config() {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    // A range the topic no longer retains fails; "latest" would silently read nothing.
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
    config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "glimpse-train");
    return config;
  }
}
