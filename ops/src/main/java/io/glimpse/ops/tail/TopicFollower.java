package io.glimpse.ops.tail;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads every partition of one topic as raw bytes, from the beginning or from now on, seeing only
 * committed records ({@code read_committed}, so a prediction shows once its transaction commits and
 * an aborted one never). It is assigned the partitions rather than joining a group: it commits no
 * offsets and disturbs no one. Values are decoded by the caller, so one bad record is one bad line.
 */
public final class TopicFollower implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;

  /**
   * Assigns the topic's partitions and positions on them.
   *
   * @param clientConfig bootstrap servers and client settings
   * @param topic the topic
   * @param fromBeginning from the first record kept, else only records written from now on
   * @param timeout how long to wait for the topic's metadata
   * @throws IllegalStateException when the topic does not exist
   * @throws org.apache.kafka.common.errors.TimeoutException when Kafka does not answer in time
   */
  public TopicFollower(
      Map<String, Object> clientConfig, String topic, boolean fromBeginning, Duration timeout) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "glimpse-tail");
    config.putIfAbsent(
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 60_000));
    consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      if (infos == null || infos.isEmpty()) {
        throw new IllegalStateException(
            "topic " + topic + " does not exist; is the pipeline's stack the one you connect to?");
      }
      List<TopicPartition> partitions =
          infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      if (fromBeginning) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fix "now" before anything else is written
      }
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
  }

  /** The records that arrived, waiting at most {@code timeout} for the first. */
  public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
    return consumer.poll(timeout);
  }

  /**
   * Makes a {@link #poll} in progress on another thread return at once (it throws WakeupException).
   */
  public void wakeup() {
    consumer.wakeup();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
