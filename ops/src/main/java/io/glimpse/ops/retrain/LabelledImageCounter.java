package io.glimpse.ops.retrain;

import io.glimpse.lifecycle.KafkaConnection;
import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Follows {@code images} with a consumer of its own (assigned partitions, no group, no commits) and
 * counts the events that carry a label since the last {@link #cut()}, stopping exactly at a limit:
 * the records after the one that reached it wait for the next count. Unreadable records are not
 * counted. {@link #positions()} is where the counted records end in each partition.
 */
final class LabelledImageCounter implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Deserializer<ImageEvent> events;
  private final String topic;
  private final Map<Integer, Long> positions = new TreeMap<>();
  private final Deque<ConsumerRecord<byte[], byte[]>> waiting = new ArrayDeque<>();
  private final KafkaConsumer<byte[], byte[]> labels;
  private final Set<String> labelled = new HashSet<>();

  /**
   * Starts at {@code start}'s offset in each partition it names; elsewhere at {@code otherwise}, or
   * at the partition's end when that is negative; never before what is retained.
   */
  LabelledImageCounter(
      KafkaConnection kafka,
      String topic,
      Map<Integer, Long> start,
      long otherwise,
      String labelsTopic) {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.events = Topics.IMAGES.valueSerde(kafka.serdeConfig()).deserializer();
    this.topic = topic;
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, kafka.timeout()).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(partitions);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    Map<TopicPartition, Long> first = consumer.beginningOffsets(partitions);
    for (TopicPartition p : partitions) {
      long at = start.getOrDefault(p.partition(), otherwise < 0 ? ends.get(p) : otherwise);
      long from = Math.max(first.get(p), Math.min(at, ends.get(p)));
      consumer.seek(p, from);
      positions.put(p.partition(), from);
    }
    this.labels =
        labelsTopic == null
            ? null
            : new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    if (labels != null) {
      List<TopicPartition> labelPartitions =
          labels.partitionsFor(labelsTopic, kafka.timeout()).stream()
              .map(p -> new TopicPartition(labelsTopic, p.partition()))
              .toList();
      labels.assign(labelPartitions);
      labels.seekToEnd(labelPartitions);
      labelPartitions.forEach(labels::position); // seekToEnd is lazy: only labels from now on
    }
  }

  /**
   * Counts what arrived (waiting up to {@code timeout} for more), up to {@code limit} labelled
   * images since the last cut.
   *
   * @return the labelled images counted since the last cut, at most {@code limit}
   */
  long poll(Duration timeout, long limit) {
    if (labels != null) {
      for (ConsumerRecord<byte[], byte[]> label : labels.poll(Duration.ZERO)) {
        if (label.key() != null) {
          labelled.add(new String(label.key(), StandardCharsets.UTF_8));
        }
      }
    }
    if (waiting.isEmpty()) {
      consumer.poll(timeout).forEach(waiting::add);
    }
    while (labelled.size() < limit && !waiting.isEmpty()) {
      ConsumerRecord<byte[], byte[]> record = waiting.poll();
      positions.put(record.partition(), record.offset() + 1);
      String id = labelledId(record);
      if (id != null) {
        labelled.add(id);
      }
    }
    return labelled.size();
  }

  /** The id of an event that carries a label; null for anything else. */
  private String labelledId(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      return null;
    }
    try {
      ImageEvent event = events.deserialize(topic, record.value());
      return event.getLabel() == null ? null : event.getId();
    } catch (RuntimeException unreadable) {
      return null; // the pipeline dead-letters it; a training range skips and counts it
    }
  }

  /** The next offset after the counted records in each partition: where a round's range ends. */
  Map<Integer, Long> positions() {
    return new TreeMap<>(positions);
  }

  /** Starts counting afresh from the current positions. */
  void cut() {
    labelled.clear();
  }

  @Override
  public void close() {
    consumer.close();
    if (labels != null) {
      labels.close();
    }
  }
}
