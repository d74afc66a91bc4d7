package io.glimpse.ops.it;

import io.glimpse.schemas.avro.Prediction;
import io.glimpse.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a predictions topic from the beginning (all partitions assigned, no group) and counts the
 * predictions per key. Polling happens on the caller's thread, inside the wait methods.
 */
final class PredictionLog implements AutoCloseable {
  private final KafkaConsumer<String, Prediction> consumer;
  private final List<TopicPartition> partitions;
  private final List<ConsumerRecord<String, Prediction>> records = new ArrayList<>();
  private final Map<String, Integer> counts = new HashMap<>();

  PredictionLog(Map<String, Object> clientConfig, String topic, IsolationLevel isolation) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString().toLowerCase(Locale.ROOT));
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer =
        new KafkaConsumer<>(
            config,
            Topics.PREDICTIONS.keySerde(clientConfig).deserializer(),
            Topics.PREDICTIONS.valueSerde(clientConfig).deserializer());
    this.partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Polls until {@code done} holds or {@code timeout} passes; returns whether it holds. */
  boolean pollUntil(BooleanSupplier done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      poll();
    }
    return true;
  }

  /** Keeps polling for {@code duration}: the time a test waits is spent reading predictions. */
  void pollFor(Duration duration) {
    pollUntil(() -> false, duration);
  }

  /** Polls until every record below the end offsets (the LSO when read_committed) is read. */
  boolean pollToEnd(Duration timeout) {
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
    return pollUntil(
        () -> end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue()),
        timeout);
  }

  private void poll() {
    for (ConsumerRecord<String, Prediction> record : consumer.poll(Duration.ofMillis(100))) {
      records.add(record);
      counts.merge(record.key(), 1, Integer::sum);
    }
  }

  /** Every prediction read so far. */
  List<ConsumerRecord<String, Prediction>> records() {
    return records;
  }

  /** How many predictions were read. */
  int total() {
    return records.size();
  }

  /** True when every id has at least one prediction. */
  boolean coversAll(Collection<String> ids) {
    return ids.stream().allMatch(counts::containsKey);
  }

  /** The ids without a prediction. */
  Set<String> missing(Collection<String> ids) {
    Set<String> missing = new LinkedHashSet<>();
    ids.stream().filter(id -> !counts.containsKey(id)).forEach(missing::add);
    return missing;
  }

  /** Keys with more than one prediction, and how many each has. */
  Map<String, Integer> duplicates() {
    Map<String, Integer> duplicates = new TreeMap<>();
    counts.forEach(
        (key, count) -> {
          if (count > 1) {
            duplicates.put(key, count);
          }
        });
    return duplicates;
  }

  /** The keys that have predictions. */
  Set<String> keys() {
    return counts.keySet();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
