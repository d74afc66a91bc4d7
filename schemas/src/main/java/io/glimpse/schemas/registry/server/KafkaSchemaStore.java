package io.glimpse.schemas.registry.server;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A {@link SchemaStore} on a single-partition compacted Kafka topic ({@code _schemas} by default),
 * in the record layout of Confluent's registry.
 *
 * <p>{@link #readAll()} checks the topic first (creating it compacted with one partition when it is
 * missing; refusing one with several partitions or without compaction), then reads it from the
 * beginning to the end offset. {@link #append} writes with an idempotent producer, {@code
 * acks=all}, and waits up to the timeout. A write that fails or times out throws, so the registry
 * leaves its state unchanged; a timed-out write may still land later and is then replayed on the
 * next start.
 *
 * <pre>{@code
 * KafkaSchemaStore store = KafkaSchemaStore.builder().setBootstrapServers("localhost:9092").build();
 * }</pre>
 *
 * <p>Thread-safe; close it (or the {@link SchemaRegistryServer} that owns it) to stop the producer.
 */
public final class KafkaSchemaStore implements SchemaStore, AutoCloseable {
  /** The topic Confluent's registry uses. */
  public static final String DEFAULT_TOPIC = "_schemas";

  private final String topic;
  private final Duration timeout;
  private final Runnable topicCheck;
  private final Supplier<Consumer<String, String>> consumers;
  private final Producer<String, String> producer;
  private boolean topicChecked;
  private boolean closed;

  /** For tests: the clients and the topic check come from the caller. */
  KafkaSchemaStore(
      String topic,
      Duration timeout,
      Runnable topicCheck,
      Supplier<Consumer<String, String>> consumers,
      Producer<String, String> producer) {
    this.topic = topic;
    this.timeout = timeout;
    this.topicCheck = topicCheck;
    this.consumers = consumers;
    this.producer = producer;
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
  public synchronized List<StoreRecord> readAll() {
    checkTopic();
    try (Consumer<String, String> consumer = consumers.get()) {
      return SchemasTopic.readToEnd(consumer, topic, timeout);
    } catch (KafkaException e) {
      throw SchemasTopic.failure("read " + topic, e);
    }
  }

  @Override
  public synchronized void append(StoreRecord record) {
    checkTopic();
    ProducerRecord<String, String> kafkaRecord =
        new ProducerRecord<>(topic, 0, record.key(), record.value());
    try {
      SchemasTopic.await(producer.send(kafkaRecord), timeout, "write to " + topic);
    } catch (KafkaException e) { // thrown by send() itself, e.g. a fenced or closed producer
      throw SchemasTopic.failure("write to " + topic, e);
    }
  }

  /** Closes the producer, waiting up to the timeout for records in flight. Idempotent. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      producer.close(timeout);
    }
  }

  private void checkTopic() {
    if (closed) {
      throw new IllegalStateException("The schema store on " + topic + " is closed");
    }
    if (!topicChecked) {
      topicCheck.run();
      topicChecked = true;
    }
  }

  /** Builds a {@link KafkaSchemaStore}: {@code setBootstrapServers} is required. */
  public static final class Builder {
    private String bootstrapServers;
    private String topic = DEFAULT_TOPIC;
    private short replicationFactor = 1;
    private Duration timeout = Duration.ofSeconds(30);
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

    /** How long one read, write or admin call may take; default 30 s. */
    public Builder optTimeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * Extra client settings for the admin, producer and consumer (security, for example). The store
     * always sets bootstrap servers, client ids, serializers, {@code acks=all} and idempotence
     * itself.
     */
    public Builder optClientProperties(Map<String, Object> clientProperties) {
      this.clientProperties = Map.copyOf(clientProperties);
      return this;
    }

    /**
     * Validates the settings and creates the producer; the topic is checked on first use.
     *
     * @throws IllegalArgumentException for missing or out-of-range settings
     */
    public KafkaSchemaStore build() {
      validate();
      String id = UUID.randomUUID().toString().substring(0, 8);
      Map<String, Object> adminProps = props("glimpse-registry-admin-" + id);
      Runnable topicCheck =
          () -> {
            try (Admin admin = Admin.create(adminProps)) {
              SchemasTopic.ensure(admin, topic, replicationFactor, timeout);
            } catch (KafkaException e) {
              throw SchemasTopic.failure("check topic " + topic, e);
            }
          };
      Map<String, Object> consumerProps = props("glimpse-registry-reader-" + id);
      consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      consumerProps.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
      Supplier<Consumer<String, String>> consumers =
          () ->
              new KafkaConsumer<>(
                  consumerProps, new StringDeserializer(), new StringDeserializer());
      return new KafkaSchemaStore(topic, timeout, topicCheck, consumers, producer(id));
    }

    private Producer<String, String> producer(String id) {
      Map<String, Object> props = props("glimpse-registry-writer-" + id);
      props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
      props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
      return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private Map<String, Object> props(String clientId) {
      Map<String, Object> props = new HashMap<>(clientProperties);
      props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
      return props;
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
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("optTimeout needs a positive duration, got " + timeout);
      }
    }
  }
}
