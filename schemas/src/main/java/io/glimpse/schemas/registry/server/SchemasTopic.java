package io.glimpse.schemas.registry.server;

import io.glimpse.schemas.registry.RegistryErrorCode;
import io.glimpse.schemas.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka side of {@link KafkaSchemaStore}: making sure the single-partition compacted topic
 * exists, reading its committed records from an offset to its end, and turning Kafka failures into
 * registry errors.
 */
final class SchemasTopic {
  private static final Logger LOG = LoggerFactory.getLogger(SchemasTopic.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private SchemasTopic() {}

  /**
   * Creates the topic (compacted, one partition) when it is missing; refuses an existing topic with
   * more than one partition or without compaction, as Confluent's registry does.
   */
  static void ensure(Admin admin, String topic, short replicationFactor, Duration timeout) {
    TopicDescription description = describe(admin, topic, timeout);
    if (description == null) {
      create(admin, topic, replicationFactor, timeout);
      description = describeOnceVisible(admin, topic, timeout);
    }
    int partitions = description == null ? 0 : description.partitions().size();
    if (partitions != 1) {
      throw storeError(
          "Topic '"
              + topic
              + "' has "
              + partitions
              + " partitions; the schema log needs exactly 1"
              + " to stay in order. Use a single-partition compacted topic (optTopic), or delete"
              + " this one and let the registry create it");
    }
    checkCompacted(admin, topic, timeout);
  }

  private static void create(Admin admin, String topic, short replicationFactor, Duration timeout) {
    NewTopic newTopic =
        new NewTopic(topic, 1, replicationFactor)
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    try {
      await(admin.createTopics(List.of(newTopic)).all(), timeout, "create topic " + topic);
      LOG.info(
          "Created schema topic {} (compacted, 1 partition, replication {})",
          topic,
          replicationFactor);
    } catch (SchemaRegistryException e) {
      if (!(e.getCause() instanceof TopicExistsException)) { // another registry won the race
        throw e;
      }
    }
  }

  /** A new topic's partitions reach the broker's metadata a moment after creation. */
  private static TopicDescription describeOnceVisible(Admin admin, String topic, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    TopicDescription description = describe(admin, topic, timeout);
    while ((description == null || description.partitions().isEmpty())
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(POLL.toMillis()); // polling the broker's metadata, not synchronising threads
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw storeError("Interrupted waiting for topic '" + topic + "' to appear");
      }
      description = describe(admin, topic, timeout);
    }
    return description;
  }

  private static TopicDescription describe(Admin admin, String topic, Duration timeout) {
    try {
      return await(
              admin.describeTopics(List.of(topic)).allTopicNames(), timeout, "describe " + topic)
          .get(topic);
    } catch (SchemaRegistryException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return null;
      }
      throw e;
    }
  }

  private static void checkCompacted(Admin admin, String topic, Duration timeout) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Map<ConfigResource, Config> configs =
        await(
            admin.describeConfigs(List.of(resource)).all(),
            timeout,
            "describe configs of " + topic);
    ConfigEntry policy = configs.get(resource).get(TopicConfig.CLEANUP_POLICY_CONFIG);
    String value = policy == null ? "" : policy.value();
    if (!value.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
      throw storeError(
          "Topic '"
              + topic
              + "' has cleanup.policy="
              + value
              + "; the schema log must be"
              + " compacted or retention deletes registered schemas. Set cleanup.policy=compact on"
              + " it (kafka-configs --alter --add-config cleanup.policy=compact)");
    }
  }

  /**
   * Reads the committed records of partition 0 from offset {@code from} up to at least the end of
   * the committed log seen at the start; returns them and the position after them.
   */
  static StoreRead readFrom(
      Consumer<String, String> consumer, String topic, long from, Duration timeout) {
    TopicPartition partition = new TopicPartition(topic, 0);
    if (!consumer.assignment().contains(partition)) {
      consumer.assign(List.of(partition));
    }
    if (consumer.position(partition, timeout) != from) {
      // Only when needed: a seek drops the fetch in flight, and the next one waits for it.
      consumer.seek(partition, from);
    }
    long end = committedEnd(consumer, topic, timeout);
    List<StoreRecord> records = new ArrayList<>();
    long quietSince = System.nanoTime();
    while (consumer.position(partition, timeout) < end) {
      ConsumerRecords<String, String> batch = consumer.poll(POLL);
      if (!batch.isEmpty()) {
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince > timeout.toNanos()) {
        throw SchemaRegistryException.of(
            RegistryErrorCode.OPERATION_TIMEOUT,
            "Reading "
                + topic
                + " stalled at offset "
                + consumer.position(partition)
                + " of "
                + end
                + " for "
                + timeout
                + "; check the brokers or raise optTimeout");
      }
      for (ConsumerRecord<String, String> record : batch) {
        if (record.key() == null) {
          LOG.warn("Skipping a record without key at offset {} of {}", record.offset(), topic);
        } else {
          records.add(new StoreRecord(record.key(), record.value()));
        }
      }
    }
    long position = consumer.position(partition, timeout);
    LOG.debug("Read {} records of {} from offset {} to {}", records.size(), topic, from, position);
    return new StoreRead(records, position);
  }

  /**
   * The end of partition 0 as a read_committed consumer sees it: the last stable offset, before any
   * transaction still open.
   */
  static long committedEnd(Consumer<String, String> consumer, String topic, Duration timeout) {
    TopicPartition partition = new TopicPartition(topic, 0);
    return consumer.endOffsets(List.of(partition), timeout).get(partition);
  }

  /** Waits for a Kafka future; failures become STORE_ERROR, time-outs OPERATION_TIMEOUT. */
  static <T> T await(Future<T> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw failure(what, e.getCause());
    } catch (TimeoutException e) {
      throw failure(what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure(what, e);
    }
  }

  /** The registry error for a Kafka failure, keeping the cause. */
  static SchemaRegistryException failure(String what, Throwable cause) {
    boolean timedOut = false;
    for (Throwable t = cause; t != null && !timedOut; t = t.getCause()) {
      timedOut =
          t instanceof TimeoutException
              || t instanceof org.apache.kafka.common.errors.TimeoutException;
    }
    RegistryErrorCode code =
        timedOut ? RegistryErrorCode.OPERATION_TIMEOUT : RegistryErrorCode.STORE_ERROR;
    String advice = timedOut ? "; check that the brokers are up or raise optTimeout" : "";
    return new SchemaRegistryException(
        code.httpStatus(), code.code(), "Could not " + what + ": " + cause + advice, cause);
  }

  private static SchemaRegistryException storeError(String message) {
    return SchemaRegistryException.of(RegistryErrorCode.STORE_ERROR, message);
  }
}
