package io.glimpse.ops.bench;

import io.glimpse.schemas.avro.Prediction;
import io.glimpse.schemas.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a benchmark's predictions and dead letters as a user would ({@code read_committed}, every
 * partition from the beginning, no group), on its own thread, and keeps what the report needs of
 * each prediction: when it was made, by which version, on which partition, for which key, when its
 * image was published and when the prediction became visible.
 */
final class ReloadObserver implements AutoCloseable {
  /**
   * One prediction.
   *
   * @param processedMillis the pipeline's {@code processedTime}
   * @param version the model version that made it
   * @param partition its partition (the same as its image's)
   * @param key its image's key
   * @param publishedMillis its record's timestamp: when its image was published
   * @param readMillis when this observer read it (committed, so visible to any read_committed
   *     consumer)
   */
  record Seen(
      long processedMillis,
      String version,
      int partition,
      String key,
      long publishedMillis,
      long readMillis) {

    /** A prediction whose publish and read times are not of interest. */
    Seen(long processedMillis, String version, int partition, String key) {
      this(processedMillis, version, partition, key, processedMillis, processedMillis);
    }
  }

  private final Deserializer<Prediction> predictions;
  private final BenchTopics topics;
  private final List<Seen> seen = new ArrayList<>();
  private int deadLetters;
  private final BackgroundPoller poller;

  ReloadObserver(String bootstrapServers, Map<String, ?> serdeConfig, BenchTopics topics) {
    KafkaConsumer<byte[], byte[]> consumer =
        PredictionCollector.assignedConsumer(
            bootstrapServers, "glimpse-bench-reload-observer", topics);
    this.predictions = Topics.PREDICTIONS.valueSerde(serdeConfig).deserializer();
    this.topics = topics;
    this.poller =
        BackgroundPoller.start(
            "glimpse-bench-reload-observer", "the predictions", consumer, predictions, this::take);
  }

  private void take(ConsumerRecord<byte[], byte[]> record) {
    if (record.topic().equals(topics.deadLetters())) {
      synchronized (this) {
        deadLetters++;
      }
      return;
    }
    Prediction p = predictions.deserialize(record.topic(), record.headers(), record.value());
    Seen one =
        new Seen(
            p.getProcessedTime().toEpochMilli(),
            p.getModelVersion(),
            record.partition(),
            p.getImageId(),
            record.timestamp(),
            System.currentTimeMillis());
    synchronized (this) {
      seen.add(one);
    }
  }

  /** Predictions plus dead letters read so far. */
  synchronized int records() {
    checkAlive();
    return seen.size() + deadLetters;
  }

  /** Predictions read so far. */
  synchronized int predictions() {
    checkAlive();
    return seen.size();
  }

  /** How many partitions have a prediction among those read after the first {@code skip}. */
  synchronized int partitionsPredictingSince(int skip) {
    checkAlive();
    return (int) seen.stream().skip(skip).mapToInt(Seen::partition).distinct().count();
  }

  /** A copy of every prediction read so far. */
  synchronized List<Seen> seen() {
    return List.copyOf(seen);
  }

  /** Dead letters read so far. */
  synchronized int deadLetters() {
    return deadLetters;
  }

  private void checkAlive() {
    poller.checkAlive();
  }

  @Override
  public void close() {
    poller.close();
  }
}
