package io.glimpse.ops.embedded;

import io.glimpse.schemas.registry.server.KafkaSchemaStore;
import io.glimpse.schemas.registry.server.SchemaRegistryServer;
import io.glimpse.schemas.serde.AvroSerdeConfig;
import io.glimpse.schemas.topic.Topic;
import io.glimpse.schemas.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything Glimpse needs from outside, in one JVM: a single-node KRaft broker and a schema
 * registry whose state lives in the broker's {@code _schemas} topic, both bound to 127.0.0.1.
 * Started and stopped as one object; with a data directory, topics, records and schema ids survive
 * restarts. {@code bin/glimpse demo} and the integration tests run on it.
 */
public final class EmbeddedStack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

  private final EmbeddedKafkaBroker broker;
  private final int registryPort;
  private final int partitions;
  private SchemaRegistryServer registry;
  private int lastRegistryPort = -1;

  private EmbeddedStack(Builder builder) {
    EmbeddedKafkaBroker.Builder brokerBuilder =
        EmbeddedKafkaBroker.builder()
            .optPort(builder.kafkaPort)
            .optControllerPort(builder.controllerPort);
    if (builder.dataDir != null) {
      brokerBuilder.optDataDir(builder.dataDir.resolve("kafka"));
    }
    this.broker = brokerBuilder.build();
    this.registryPort = builder.registryPort;
    this.partitions = builder.partitions;
  }

  /** Starts a builder; every setting is optional. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the broker, creates Glimpse's topics, then starts the registry on the {@code _schemas}
   * topic. Returns when both answer.
   *
   * @throws EmbeddedStackException when either cannot start
   */
  public synchronized EmbeddedStack start() {
    long started = System.nanoTime();
    broker.start();
    broker.createTopics(glimpseTopics());
    startRegistry(registryPort);
    LOG.info(
        "Embedded stack ready in {} ms: Kafka {}, schema registry {}",
        (System.nanoTime() - started) / 1_000_000,
        broker.bootstrapServers(),
        registry.url());
    return this;
  }

  private void startRegistry(int port) {
    KafkaSchemaStore store =
        KafkaSchemaStore.builder()
            .setBootstrapServers(broker.bootstrapServers())
            .optTimeout(Duration.ofSeconds(30))
            .build();
    try {
      registry = SchemaRegistryServer.builder().setStore(store).optPort(port).build();
      registry.start();
    } catch (RuntimeException e) {
      store.close();
      registry = null;
      if (lastRegistryPort < 0) {
        broker.close();
      }
      throw new EmbeddedStackException(
          "The schema registry could not start on port "
              + port
              + ": "
              + e.getMessage()
              + ". Is another registry running there? Choose another port.",
          e);
    }
    lastRegistryPort = registry.port();
  }

  /**
   * Stops the registry alone, as an outage would; clients calling it get connection refused until
   * {@link #restartRegistry()}. For tests of how clients ride out a registry outage.
   */
  public synchronized void stopRegistry() {
    if (registry != null) {
      registry.close();
      registry = null;
    }
  }

  /** Starts the registry again on the port it had, reading its state back from {@code _schemas}. */
  public synchronized void restartRegistry() {
    if (registry == null) {
      startRegistry(lastRegistryPort);
    }
  }

  private List<NewTopic> glimpseTopics() {
    return Topics.ALL.stream().map(this::newTopic).toList();
  }

  private NewTopic newTopic(Topic<?, ?> topic) {
    boolean compacted = !topic.topicConfig().isEmpty();
    int count = compacted || Topics.DEAD_LETTERS.contains(topic) ? 1 : partitions;
    return topic.newTopic(Optional.of(count), Optional.of((short) 1));
  }

  /** {@code 127.0.0.1:<port>} of the broker. */
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** {@code http://127.0.0.1:<port>} of the registry. */
  public synchronized String schemaRegistryUrl() {
    if (lastRegistryPort < 0) {
      throw new IllegalStateException("EmbeddedStack.start() has not been called");
    }
    return registry != null ? registry.url() : "http://127.0.0.1:" + lastRegistryPort;
  }

  /** The broker, for tests that need to create topics or inspect the data directory. */
  public EmbeddedKafkaBroker broker() {
    return broker;
  }

  /** Client settings that reach this stack: bootstrap servers and the registry URL. */
  public Map<String, Object> clientConfig() {
    return Map.of(
        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
        bootstrapServers(),
        AvroSerdeConfig.SCHEMA_REGISTRY_URL,
        schemaRegistryUrl());
  }

  /** Stops the registry, then the broker. */
  @Override
  public synchronized void close() {
    if (registry != null) {
      registry.close();
      registry = null;
    }
    broker.close();
  }

  /** Builder in DJL's words: every setting is an optional {@code optX}. */
  public static final class Builder {
    private Path dataDir;
    private int kafkaPort = 0;
    private int registryPort = 0;
    private int controllerPort = 0;
    private int partitions = 4;

    private Builder() {}

    /** Where to keep data across restarts ({@code <dir>/kafka}); a temp dir when unset. */
    public Builder optDataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /** The broker's port on 127.0.0.1; 0 (default) picks a free one. */
    public Builder optKafkaPort(int port) {
      this.kafkaPort = port;
      return this;
    }

    /** The KRaft controller's port on 127.0.0.1; 0 (default) picks a free one. */
    public Builder optControllerPort(int port) {
      this.controllerPort = port;
      return this;
    }

    /** The registry's port on 127.0.0.1; 0 (default) picks a free one. */
    public Builder optRegistryPort(int port) {
      this.registryPort = port;
      return this;
    }

    /** Partitions of {@code images} and {@code predictions} (default 4). */
    public Builder optPartitions(int partitions) {
      this.partitions = partitions;
      return this;
    }

    /**
     * Validates and builds the stack (not yet started).
     *
     * @throws IllegalArgumentException for a port outside 0..65535 or fewer than 1 partition
     */
    public EmbeddedStack build() {
      for (int port : new int[] {kafkaPort, controllerPort, registryPort}) {
        if (port < 0 || port > 65535) {
          throw new IllegalArgumentException("Port " + port + " is outside 0..65535");
        }
      }
      if (partitions < 1) {
        throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
      }
      return new EmbeddedStack(this);
    }
  }
}
