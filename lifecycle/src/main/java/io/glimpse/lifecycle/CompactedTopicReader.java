package io.glimpse.lifecycle;

import io.glimpse.schemas.topic.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Reads a topic from the beginning to its current end, without a consumer group: {@link #read}
 * returns the latest value of each key of a compacted topic (a tombstone removes the key), the
 * table the topic stands for as of now; {@link #scan} hands every record to a visitor. A topic that
 * does not exist reads as empty; it is never created by reading. Each read takes at most the
 * connection's timeout.
 */
public final class CompactedTopicReader {

  private final KafkaConnection kafka;
  private final Map<String, Object> consumerConfig;

  /**
   * Creates a reader.
   *
   * @param kafka where to read
   */
  public CompactedTopicReader(KafkaConnection kafka) {
    this.kafka = kafka;
    this.consumerConfig = kafka.clientConfig();
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Reading a topic that is not there must not create it (uncompacted, with broker defaults).
    consumerConfig.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    consumerConfig.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "glimpse-model-reader");
  }

  /** Returns the latest value of every key accepted by {@code keys}. */
  public <V> Map<String, V> read(Topic<String, V> topic, Predicate<String> keys)
      throws PublishException {
    Map<String, V> table = new HashMap<>();
    scan(
        topic,
        record -> {
          if (record.key() != null && keys.test(record.key())) {
            if (record.value() == null) {
              table.remove(record.key());
            } else {
              table.put(record.key(), record.value());
            }
          }
        });
    return table;
  }

  /**
   * Hands every record of the topic, from the beginning to the end it has when the read starts, to
   * {@code visitor}, in offset order within each partition.
   *
   * @param topic the topic
   * @param visitor called once per record, on the calling thread
   * @throws PublishException when Kafka or the registry fails, or the read takes over the timeout
   */
  public <K, V> void scan(Topic<K, V> topic, Consumer<ConsumerRecord<K, V>> visitor)
      throws PublishException {
    Duration timeout = kafka.timeout();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<K, V> consumer =
        new KafkaConsumer<>(
            new HashMap<>(consumerConfig),
            topic.keySerde(kafka.serdeConfig()).deserializer(),
            topic.valueSerde(kafka.serdeConfig()).deserializer())) {
      List<TopicPartition> partitions = partitions(consumer, topic.name(), timeout);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      while (!reached(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("reading to the end took over " + timeout.toSeconds() + " s");
        }
        for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(200))) {
          visitor.accept(record);
        }
      }
    } catch (TimeoutException e) {
      throw new PublishException(
          "Kafka at "
              + kafka.bootstrapServers()
              + " did not answer within "
              + timeout.toSeconds()
              + " s while reading "
              + topic.name()
              + " ("
              + e.getMessage()
              + "); check the bootstrap servers and that Kafka is running",
          e);
    } catch (RecordDeserializationException e) {
      throw new PublishException(
          "cannot read "
              + topic.name()
              + " from "
              + kafka
              + " (record "
              + e.offset()
              + " of "
              + e.topicPartition()
              + "): "
              + Failures.withAdvice(
                  Failures.describe(e.getCause() == null ? e : e.getCause()),
                  "check the schema registry URL and that the registry is running"),
          e);
    } catch (KafkaException e) {
      throw new PublishException(
          "cannot read "
              + topic.name()
              + " from "
              + kafka
              + ": "
              + Failures.withAdvice(
                  Failures.describe(e), "check the Kafka and schema registry settings"),
          e);
    }
  }

  private static List<TopicPartition> partitions(
      KafkaConsumer<?, ?> consumer, String topic, Duration timeout) {
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
