package io.glimpse.pipeline;

import io.glimpse.pipeline.batch.InputBacklog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The stream threads' main consumer: Kafka's own, which after each poll tells the {@link
 * InputBacklog} where each returned partition ends and what the consumer knows is still behind it
 * ({@link #currentLag}, from the last fetch response: no request of its own).
 */
final class BacklogReportingConsumer extends KafkaConsumer<byte[], byte[]> {
  private final InputBacklog backlog;

  BacklogReportingConsumer(Map<String, Object> config, InputBacklog backlog) {
    super(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.backlog = backlog;
  }

  @Override
  public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
    ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> polled = records.records(partition);
      if (!polled.isEmpty()) {
        // Unknown lag (no fetch response yet names the end) counts as none: classify now.
        long lag = currentLag(partition).orElse(0);
        backlog.polled(partition, polled.get(polled.size() - 1).offset(), lag);
      }
    }
    return records;
  }
}
