package io.glimpse.pipeline.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the record of one image on the {@code images} topic without reading the topic: a prediction
 * says when its image was written ({@code processedTime - endToEndMs} is the image record's
 * timestamp), the key says its partition (Kafka's default partitioner), and {@code offsetsForTimes}
 * says where to start; the record is at most a few records further on. Only the images the page
 * shows are fetched, one small fetch each.
 */
final class ImageLookup implements AutoCloseable {
  /** How many records after the timestamp's offset are looked at before giving up. */
  private static final int MAX_RECORDS = 64;

  private static final Logger LOG = LoggerFactory.getLogger(ImageLookup.class);

  /** How long one lookup may take; a busy broker only costs the thumbnail. */
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private int partitions;

  ImageLookup(Map<String, Object> consumerConfig, String topic) {
    Map<String, Object> config = new HashMap<>(consumerConfig);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 16);
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 256 * 1024);
    config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 1024 * 1024);
    config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1); // one record is all it wants

    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
  }

  /**
   * The value of the image record with this key written at {@code timestampMs}; empty when it is
   * not found, or Kafka does not answer in time.
   */
  Optional<byte[]> find(String key, long timestampMs) {
    try {
      return lookUp(key, timestampMs);
    } catch (InterruptException e) {
      throw e; // the feed is closing
    } catch (KafkaException e) {
      LOG.debug("No thumbnail for {}: {}", key, e.toString());
      return Optional.empty();
    }
  }

  private Optional<byte[]> lookUp(String key, long timestampMs) {
    byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
    if (partitions == 0) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
      partitions = infos == null ? 0 : infos.size();
      if (partitions == 0) {
        return Optional.empty();
      }
    }
    TopicPartition tp =
        new TopicPartition(topic, Utils.toPositive(Utils.murmur2(keyBytes)) % partitions);
    consumer.assign(List.of(tp));
    OffsetAndTimestamp start = consumer.offsetsForTimes(Map.of(tp, timestampMs), TIMEOUT).get(tp);
    if (start == null) {
      return Optional.empty();
    }
    consumer.seek(tp, start.offset());
    int seen = 0;
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (seen < MAX_RECORDS && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        if (Arrays.equals(keyBytes, record.key())) {
          return Optional.ofNullable(record.value());
        }
        if (++seen >= MAX_RECORDS || record.timestamp() > timestampMs + 1000) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
