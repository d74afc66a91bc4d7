package io.glimpse.ops.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka (KRaft, broker and controller in one node) running inside this JVM, bound to
 * 127.0.0.1 only. Internal topics use replication factor 1, so consumer groups, transactions and
 * exactly_once_v2 Streams applications work against it.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().optDataDir(dir).build()) {
 *   kafka.start();
 *   String bootstrap = kafka.bootstrapServers(); // "127.0.0.1:<port>"
 * }
 * }</pre>
 *
 * <p>With a data directory, a restart on the same directory finds the same cluster, topics and
 * records (ports may differ between runs). Without one, a temporary directory is used and deleted
 * on {@link #close()}. One instance starts once; start a new instance to restart.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  /** How long {@link #start()} waits for the broker to answer before giving up. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  private final DataDirectory dataDirectory;
  private final int requestedPort;
  private final int requestedControllerPort;
  private final Map<String, String> brokerProperties;
  private KafkaRaftServer server;
  private LoopbackPorts ports;
  private boolean closed;

  private EmbeddedKafkaBroker(Builder builder, DataDirectory dataDirectory) {
    this.dataDirectory = dataDirectory;
    this.requestedPort = builder.port;
    this.requestedControllerPort = builder.controllerPort;
    this.brokerProperties = builder.brokerProperties;
  }

  /** A builder with defaults: temporary data directory, free ports. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Formats the data directory if needed, starts the node and returns once it answers clients.
   *
   * @throws EmbeddedStackException when the node does not start or answer within {@link
   *     #START_TIMEOUT}; nothing is left running then
   * @throws IllegalStateException when this instance was started or closed before
   */
  public synchronized void start() {
    if (server != null || closed) {
      throw new IllegalStateException(
          "This broker was already started; build a new EmbeddedKafkaBroker to restart.");
    }
    long startNanos = System.nanoTime();
    Path dir = dataDirectory.prepare();
    KraftStorage.formatIfNeeded(dir);
    try {
      KraftServerLauncher.Started started =
          KraftServerLauncher.start(dir, requestedPort, requestedControllerPort, brokerProperties);
      server = started.server();
      ports = started.ports();
      BrokerAdmin.awaitReady(bootstrapServers(), START_TIMEOUT.minus(elapsedSince(startNanos)));
    } catch (RuntimeException e) {
      KraftServerLauncher.stop(server);
      server = null;
      ports = null;
      throw e;
    }
    LOG.info(
        "Embedded Kafka ready at {} (data dir {}) in {} ms",
        bootstrapServers(),
        dir,
        elapsedSince(startNanos).toMillis());
  }

  private static Duration elapsedSince(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** The address clients connect to, {@code 127.0.0.1:<port>}; available after {@link #start()}. */
  public synchronized String bootstrapServers() {
    if (ports == null) {
      throw new IllegalStateException("The broker is not started; call start() first.");
    }
    return LoopbackPorts.HOST + ":" + ports.broker();
  }

  /** The data directory in use (absolute), or null before {@link #start()} for a temporary one. */
  public synchronized Path dataDir() {
    return dataDirectory.path();
  }

  /**
   * Creates the topics that do not exist yet; topics that exist are left unchanged.
   *
   * @throws EmbeddedStackException when a topic cannot be created
   */
  public void createTopics(Collection<NewTopic> topics) {
    BrokerAdmin.createTopics(bootstrapServers(), topics);
  }

  /** Shuts the node down, waits for it and deletes a temporary data directory. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (server != null) {
      KraftServerLauncher.stop(server);
      server = null;
      LOG.info("Embedded Kafka at {} stopped", bootstrapServers());
    }
    dataDirectory.cleanUp();
  }

  /**
   * Settings for an {@link EmbeddedKafkaBroker}, in DJL's words: {@code optX} for optional
   * settings, {@link #build()} validates them.
   */
  public static final class Builder {
    private Path dataDir;
    private int port;
    private int controllerPort;
    private Map<String, String> brokerProperties = Map.of();

    private Builder() {}

    /** Keeps data in {@code dataDir} across restarts (created if missing); default: temporary. */
    public Builder optDataDir(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
      return this;
    }

    /** The client port on 127.0.0.1; 0 (the default) picks a free port. */
    public Builder optPort(int port) {
      this.port = port;
      return this;
    }

    /** The KRaft controller port on 127.0.0.1; 0 (the default) picks a free port. */
    public Builder optControllerPort(int controllerPort) {
      this.controllerPort = controllerPort;
      return this;
    }

    /** Extra broker settings, applied over the defaults (listeners and directories excluded). */
    public Builder optBrokerProperties(Map<String, String> brokerProperties) {
      this.brokerProperties = Map.copyOf(brokerProperties);
      return this;
    }

    /**
     * Validates the settings and creates the (not yet started) broker.
     *
     * @throws EmbeddedStackException when a port is out of range, the two ports clash, a reserved
     *     broker property is set, or the data directory cannot be used
     */
    public EmbeddedKafkaBroker build() {
      requirePort("port", port);
      requirePort("controller port", controllerPort);
      if (port != 0 && port == controllerPort) {
        throw new EmbeddedStackException(
            "The client and controller ports are both " + port + ". Give them different values.");
      }
      BrokerProperties.rejectReserved(brokerProperties);
      DataDirectory dir = dataDir == null ? DataDirectory.temporary() : DataDirectory.of(dataDir);
      return new EmbeddedKafkaBroker(this, dir);
    }

    private static void requirePort(String name, int value) {
      if (value < 0 || value > 65_535) {
        throw new EmbeddedStackException(
            "The " + name + " must be between 0 and 65535 (0 = any free port), not " + value + ".");
      }
    }
  }
}
