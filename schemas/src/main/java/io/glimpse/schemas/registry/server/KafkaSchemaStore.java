package io.glimpse.schemas.registry.server;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A {@link SchemaStore} on a single-partition compacted Kafka topic ({@code _schemas} by default),
 * in the record layout of Confluent's registry, which several registries may share.
 *
 * <p>The topic is checked on first use (created compacted with one partition when missing; one with
 * several partitions or without compaction is refused). {@link #read} reads committed records from
 * an offset to the end of the committed log with one long-lived consumer. {@link #append} writes in
 * a transaction under a transactional id shared by every registry on the topic (see {@link
 * SchemasWriter}): it commits only if the log still ends where the registry read it and no other
 * registry took over writing meanwhile. The producer's delivery timeout equals the store's timeout,
 * so a send has succeeded or failed for good when the store reports on it; a transaction whose
 * commit timed out is settled (committed or aborted) by the next writer before it checks the log's
 * end.
 *
 * <pre>{@code
 * KafkaSchemaStore store = KafkaSchemaStore.builder().setBootstrapServers("localhost:9092").build();
 * }</pre>
 *
 * <p>Thread-safe; close it (or the {@link SchemaRegistryServer} that owns it) to stop its clients.
 */
public final class KafkaSchemaStore implements SchemaStore, AutoCloseable {
  /** The topic Confluent's registry uses. */
  public static final String DEFAULT_TOPIC = "_schemas";

  private final String topic;
  private final Duration timeout;
  private final Runnable topicCheck;
  private final Supplier<Consumer<String, String>> consumers;
  private final SchemasWriter writer;
  private Consumer<String, String> consumer;
  private boolean topicChecked;
  private boolean closed;

  /** For tests: the clients and the topic check come from the caller. */
  KafkaSchemaStore(
      String topic,
      Duration timeout,
      Runnable topicCheck,
      Supplier<Consumer<String, String>> consumers,
      Supplier<Producer<String, String>> producers) {
    this.topic = topic;
    this.timeout = timeout;
    this.topicCheck = topicCheck;
    this.consumers = consumers;
    this.writer = new SchemasWriter(topic, timeout, producers);
  }

  /** Starts a builder; {@link Builder#setBootstrapServers} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The topic this store reads and writes. */
  public String topic() {
    return topic;
  }

  @Override
  public synchronized StoreRead read(long from) {
    Consumer<String, String> reader = reader();
    try {
      return SchemasTopic.readFrom(reader, topic, from, timeout);
    } catch (KafkaException e) {
      throw SchemasTopic.failure("read " + topic, e);
    }
  }

  @Override
  public synchronized void append(long end, List<StoreRecord> records) {
    Consumer<String, String> reader = reader();
    if (records.isEmpty()) {
      return;
    }
    writer.append(
        end,
        records,
        () -> {
          try {
            return SchemasTopic.committedEnd(reader, topic, timeout);
          } catch (KafkaException e) {
            throw SchemasTopic.failure("read the end of " + topic, e);
          }
        });
  }

  /** Closes the producer (waiting up to the timeout for records in flight) and the reader. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      writer.close();
    } finally {
      if (consumer != null) {
        consumer.close(CloseOptions.timeout(timeout));
      }
    }
  }

  private Consumer<String, String> reader() {
    if (closed) {
      throw new IllegalStateException("The schema store on " + topic + " is closed");
    }
    if (!topicChecked) {
      topicCheck.run();
      topicChecked = true;
    }
    if (consumer == null) {
      consumer = consumers.get();
    }
    return consumer;
  }

  /** Builds a {@link KafkaSchemaStore}: {@code setBootstrapServers} is required. */
  public static final class Builder {
    /** A transaction may last two timeouts; brokers refuse ones over 15 minutes by default. */
    static final int MAX_TIMEOUT_MINUTES = 5;

    private String bootstrapServers;
    private String topic = DEFAULT_TOPIC;
    private short replicationFactor = 1;
    private Duration timeout = Duration.ofSeconds(30);
    private String transactionalId;
    private Map<String, Object> clientProperties = Map.of();

    private Builder() {}

    /** The brokers, for example {@code localhost:9092}. */
    public Builder setBootstrapServers(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
      return this;
    }

    /** The topic; default {@value KafkaSchemaStore#DEFAULT_TOPIC}. */
    public Builder optTopic(String topic) {
      this.topic = topic;
      return this;
    }

    /** Replication factor used when the store creates the topic; default 1. */
    public Builder optReplicationFactor(short replicationFactor) {
      this.replicationFactor = replicationFactor;
      return this;
    }

    /**
     * How long one read, write or admin call may take, at most {@value #MAX_TIMEOUT_MINUTES}
     * minutes; default 30 s. The producer's delivery timeout is set to it.
     */
    public Builder optTimeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * The transactional id every registry writing the topic shares; default {@code
     * glimpse-schema-registry-<topic>}. Registries on one topic must use the same id, or two of
     * them can write at once and hand out one schema id twice. Needs WRITE on this TransactionalId
     * where ACLs are enabled.
     */
    public Builder optTransactionalId(String transactionalId) {
      this.transactionalId = transactionalId;
      return this;
    }

    /**
     * Extra client settings for the admin, producer and consumer (security, for example). The store
     * always sets bootstrap servers, client ids, serializers, {@code acks=all}, transactions,
     * {@code read_committed} and the producer's timeouts (none beyond the store's) itself.
     */
    public Builder optClientProperties(Map<String, Object> clientProperties) {
      this.clientProperties = Map.copyOf(clientProperties);
      return this;
    }

    /**
     * Validates the settings; the clients are created and the topic checked on first use.
     *
     * @throws IllegalArgumentException for missing or out-of-range settings
     */
    public KafkaSchemaStore build() {
      validate();
      String id = UUID.randomUUID().toString().substring(0, 8);
      StoreClientConfig config = clientConfig();
      Map<String, Object> adminProps = config.admin("glimpse-registry-admin-" + id);
      Runnable topicCheck =
          () -> {
            try (Admin admin = Admin.create(adminProps)) {
              SchemasTopic.ensure(admin, topic, replicationFactor, timeout);
            } catch (KafkaException e) {
              throw SchemasTopic.failure("check topic " + topic, e);
            }
          };
      Map<String, Object> consumerProps = config.consumer("glimpse-registry-reader-" + id);
      Map<String, Object> producerProps = config.producer("glimpse-registry-writer-" + id);
      return new KafkaSchemaStore(
          topic,
          timeout,
          topicCheck,
          () ->
              new KafkaConsumer<>(
                  consumerProps, new StringDeserializer(), new StringDeserializer()),
          () -> new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer()));
    }

    /** The client settings {@link #build()} uses; validate first. */
    StoreClientConfig clientConfig() {
      String txId = transactionalId != null ? transactionalId : "glimpse-schema-registry-" + topic;
      return new StoreClientConfig(bootstrapServers, clientProperties, timeout, txId);
    }

    private void validate() {
      if (bootstrapServers == null || bootstrapServers.isBlank()) {
        throw new IllegalArgumentException(
            "setBootstrapServers(...) is required, for example \"localhost:9092\"");
      }
      if (topic == null || !topic.matches("[a-zA-Z0-9._-]{1,249}") || topic.matches("\\.{1,2}")) {
        throw new IllegalArgumentException(
            "optTopic needs a Kafka topic name (up to 249 of a-z A-Z 0-9 . _ -), got '"
                + topic
                + "'");
      }
      if (replicationFactor < 1) {
        throw new IllegalArgumentException(
            "optReplicationFactor needs at least 1, got " + replicationFactor);
      }
      if (timeout == null
          || timeout.isNegative()
          || timeout.isZero()
          || timeout.compareTo(Duration.ofMinutes(MAX_TIMEOUT_MINUTES)) > 0) {
        throw new IllegalArgumentException(
            "optTimeout needs a positive duration of at most "
                + MAX_TIMEOUT_MINUTES
                + " minutes, got "
                + timeout);
      }
      if (transactionalId != null && transactionalId.isBlank()) {
        throw new IllegalArgumentException(
            "optTransactionalId needs a non-blank id, the same for every registry on the topic");
      }
    }
  }
}
