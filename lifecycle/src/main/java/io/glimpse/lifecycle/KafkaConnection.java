package io.glimpse.lifecycle;

import io.glimpse.schemas.serde.AvroSerdeConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * How to reach Kafka and the schema registry, and how long any one read or send may take: what
 * {@link VersionPublisher}, {@link ModelCatalog} and {@link ModelDeployer} share. Immutable; built
 * and checked by {@link #builder()}.
 *
 * <pre>{@code
 * KafkaConnection kafka = KafkaConnection.builder()
 *     .setBootstrapServers("127.0.0.1:9092").setSchemaRegistryUrl("http://127.0.0.1:8081")
 *     .optTimeout(Duration.ofSeconds(15)).build();
 * }</pre>
 */
public final class KafkaConnection {

  /** How long a read or a send may take unless set otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final String bootstrapServers;
  private final String schemaRegistryUrl;
  private final Map<String, Object> properties;
  private final Duration timeout;

  private KafkaConnection(Builder b) {
    bootstrapServers = b.bootstrapServers;
    schemaRegistryUrl = b.schemaRegistryUrl;
    properties = Map.copyOf(b.properties);
    timeout = b.timeout;
  }

  /**
   * Returns a builder; bootstrap servers and registry URL are required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the Kafka bootstrap servers, e.g. {@code 127.0.0.1:9092}.
   *
   * @return the bootstrap servers
   */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Returns the schema registry URL(s).
   *
   * @return the registry URL
   */
  public String schemaRegistryUrl() {
    return schemaRegistryUrl;
  }

  /**
   * Returns how long one read of a topic, or one send, may take.
   *
   * @return a positive duration
   */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Returns Kafka client settings: the extra properties and the bootstrap servers.
   *
   * @return a fresh, mutable map
   */
  public Map<String, Object> clientConfig() {
    Map<String, Object> config = new HashMap<>(properties);
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return config;
  }

  /**
   * Returns serde settings: the extra properties (credentials of the registry, say) and its URL;
   * one HTTP request to the registry may take no longer than the timeout.
   *
   * @return a fresh, mutable map
   */
  public Map<String, Object> serdeConfig() {
    Map<String, Object> config = new HashMap<>(properties);
    config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
    config.putIfAbsent(AvroSerdeConfig.HTTP_READ_TIMEOUT_MS, timeout.toMillis());
    return config;
  }

  @Override
  public String toString() {
    return "Kafka at " + bootstrapServers + ", schema registry at " + schemaRegistryUrl;
  }

  /** Builder in DJL's words: {@code setX} required, {@code optX} optional. */
  public static final class Builder {
    private String bootstrapServers;
    private String schemaRegistryUrl;
    private Map<String, Object> properties = Map.of();
    private Duration timeout = DEFAULT_TIMEOUT;

    private Builder() {}

    /**
     * Sets the Kafka bootstrap servers. Required.
     *
     * @param bootstrapServers e.g. {@code 127.0.0.1:9092}
     * @return this builder
     */
    public Builder setBootstrapServers(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
      return this;
    }

    /**
     * Sets the schema registry URL. Required.
     *
     * @param schemaRegistryUrl e.g. {@code http://127.0.0.1:8081}
     * @return this builder
     */
    public Builder setSchemaRegistryUrl(String schemaRegistryUrl) {
      this.schemaRegistryUrl = schemaRegistryUrl;
      return this;
    }

    /**
     * Adds Kafka client and registry settings (security, {@code basic.auth.*}, timeouts...).
     *
     * @param properties settings for the producers, consumers and serdes
     * @return this builder
     */
    public Builder optProperties(Map<String, Object> properties) {
      this.properties = Map.copyOf(properties);
      return this;
    }

    /**
     * Sets how long one read of a topic to its end, or one send, may take. Defaults to {@link
     * #DEFAULT_TIMEOUT}.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder optTimeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * Checks the settings and builds the connection.
     *
     * @return the connection
     * @throws IllegalArgumentException when a required setting is missing or the timeout is not
     *     positive
     */
    public KafkaConnection build() {
      if (bootstrapServers == null || bootstrapServers.isBlank()) {
        throw new IllegalArgumentException("setBootstrapServers is required");
      }
      if (schemaRegistryUrl == null || schemaRegistryUrl.isBlank()) {
        throw new IllegalArgumentException("setSchemaRegistryUrl is required");
      }
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the timeout must be positive, got " + timeout);
      }
      return new KafkaConnection(this);
    }
  }
}
