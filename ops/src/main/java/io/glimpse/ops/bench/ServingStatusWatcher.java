package io.glimpse.ops.bench;

import io.glimpse.schemas.avro.ModelServingStatus;
import io.glimpse.schemas.topic.Topics;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Follows {@code model-serving-status} as an operator's dashboard would, on its own thread, and
 * keeps each instance's latest status: which version it serves, since when.
 */
final class ServingStatusWatcher implements AutoCloseable {
  private final Deserializer<ModelServingStatus> statuses;
  private final Map<String, ModelServingStatus> latest = new HashMap<>();
  private final BackgroundPoller poller;

  ServingStatusWatcher(String bootstrapServers, Map<String, ?> serdeConfig, String topic) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "glimpse-bench-serving-status");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.statuses = Topics.MODEL_SERVING_STATUS.valueSerde(serdeConfig).deserializer();
    this.poller =
        BackgroundPoller.start(
            "glimpse-bench-serving-status", "the serving status", consumer, statuses, this::take);
  }

  private void take(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      return;
    }
    ModelServingStatus status =
        statuses.deserialize(record.topic(), record.headers(), record.value());
    synchronized (this) {
      latest.put(status.getInstance(), status);
    }
  }

  /** When {@code instance} began serving {@code version}, if it serves it now. */
  synchronized Optional<Instant> servingSince(String instance, String version) {
    poller.checkAlive();
    ModelServingStatus status = latest.get(instance);
    if (status == null || !version.equals(status.getServedVersion())) {
      return Optional.empty();
    }
    return Optional.ofNullable(status.getServedSince());
  }

  @Override
  public void close() {
    poller.close();
  }
}
