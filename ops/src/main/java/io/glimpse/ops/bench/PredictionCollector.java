package io.glimpse.ops.bench;

import io.glimpse.schemas.avro.Prediction;
import io.glimpse.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a phase's predictions and dead letters as a user would: a {@code read_committed} consumer
 * (under exactly_once_v2 a prediction is visible once its transaction commits), assigned every
 * partition from the beginning, no consumer group.
 */
final class PredictionCollector implements AutoCloseable {
  /** Consumer settings that shape the measurement; the report prints them. */
  static final Map<String, Object> SETTINGS =
      Map.of(
          ConsumerConfig.ISOLATION_LEVEL_CONFIG,
          "read_committed",
          ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
          100);

  private static final Duration POLL = Duration.ofMillis(50);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Deserializer<Prediction> predictions;
  private final BenchTopics topics;
  private int deadLetters;

  /**
   * One prediction as the consumer saw it.
   *
   * @param imageMillis its image's record timestamp (the publish time)
   * @param processedMillis the pipeline's {@code processedTime}
   * @param receivedMillis when this consumer received it
   * @param batchSize the size of the batch it was classified in
   * @param queuedMillis the pipeline's own count: from its arrival to the start of its batch
   * @param inferenceMillis the pipeline's own count: the forward pass of its batch
   */
  record Observed(
      long imageMillis,
      long processedMillis,
      long receivedMillis,
      int batchSize,
      long queuedMillis,
      long inferenceMillis) {}

  PredictionCollector(String bootstrapServers, Map<String, ?> serdeConfig, BenchTopics topics) {
    this.consumer = assignedConsumer(bootstrapServers, "glimpse-bench-collector", topics);
    this.predictions = Topics.PREDICTIONS.valueSerde(serdeConfig).deserializer();
    this.topics = topics;
  }

  /**
   * A {@code read_committed} consumer of a phase's predictions and dead letters, assigned every
   * partition of both from the beginning, no consumer group.
   */
  static KafkaConsumer<byte[], byte[]> assignedConsumer(
      String bootstrapServers, String clientId, BenchTopics topics) {
    Map<String, Object> config = new HashMap<>(SETTINGS);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(topics.predictions(), topics.deadLetters())) {
      consumer
          .partitionsFor(topic)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }

  /**
   * Polls until {@code expected} records (predictions plus dead letters) arrived, running {@code
   * between} after every poll (it may throw to give up early).
   *
   * @throws IllegalStateException when they do not all arrive within {@code timeout}
   */
  List<Observed> collect(int expected, Duration timeout, Runnable between) {
    List<Observed> observed = new ArrayList<>(expected);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (observed.size() + deadLetters < expected) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            String.format(
                Locale.ROOT,
                "Phase %s: %d predictions and %d dead letters of %d images after %d s; the"
                    + " pipeline is too slow or stuck (see the log above)",
                topics.phase(),
                observed.size(),
                deadLetters,
                expected,
                timeout.toSeconds()));
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        long received = System.currentTimeMillis();
        if (record.topic().equals(topics.deadLetters())) {
          deadLetters++;
          continue;
        }
        Prediction prediction =
            predictions.deserialize(record.topic(), record.headers(), record.value());
        observed.add(
            new Observed(
                record.timestamp(),
                prediction.getProcessedTime().toEpochMilli(),
                received,
                prediction.getBatchSize(),
                prediction.getTimings().getQueuedMs(),
                prediction.getTimings().getInferenceMs()));
      }
      between.run();
    }
    return observed;
  }

  /** Records that went to the dead-letter topic so far. */
  int deadLetters() {
    return deadLetters;
  }

  @Override
  public void close() {
    consumer.close();
    predictions.close();
  }
}
