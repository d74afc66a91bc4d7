package io.glimpse.trainer.publish;

import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.avro.ModelVersion;
import io.glimpse.schemas.serde.AvroSerdeConfig;
import io.glimpse.schemas.topic.Topic;
import io.glimpse.schemas.topic.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces model versions on {@code model-versions} (key {@code <model>/<version>}) and deploys
 * them on {@code model-deployments} (key: the model name), Avro through the schema registry.
 * Producers use {@code acks=all} and idempotence, and every send is waited for, so a method that
 * returns has its event durably in Kafka.
 *
 * <pre>{@code
 * VersionPublisher publisher = VersionPublisher.builder()
 *     .setBootstrapServers("127.0.0.1:9092").setSchemaRegistryUrl("http://127.0.0.1:8081").build();
 * publisher.announce(version);
 * PromotionDecision decision = publisher.promote(version, false, "alice");
 * }</pre>
 */
public final class VersionPublisher {

  private static final Logger logger = LoggerFactory.getLogger(VersionPublisher.class);

  private final Map<String, Object> clientConfig;
  private final Map<String, Object> serdeConfig;
  private final Duration timeout;
  private final Topic<String, ModelVersion> versions;
  private final Topic<String, ModelDeployment> deployments;

  private VersionPublisher(Builder b) {
    clientConfig = new HashMap<>(b.properties);
    clientConfig.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
    serdeConfig = new HashMap<>();
    serdeConfig.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, b.schemaRegistryUrl);
    timeout = b.timeout;
    versions = Topics.MODEL_VERSIONS;
    deployments = Topics.MODEL_DEPLOYMENTS;
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
   * Publishes a version to {@code model-versions}.
   *
   * @param version the version, usually from {@link ModelVersions#of}
   * @throws PublishException when Kafka or the registry fails or times out
   */
  public void announce(ModelVersion version) throws PublishException {
    String key = Topics.modelVersionKey(version.getModelName(), version.getVersion());
    send(versions, key, version);
    logger.info("Announced {} on {}", key, versions.name());
  }

  /**
   * Deploys a version if it is at least as good as the serving one ({@code validation_accuracy}),
   * or when forced: reads the model's latest deployment and that version's record, decides, and
   * publishes a {@code ModelDeployment} when the decision is to promote.
   *
   * @param candidate the new version, already announced
   * @param force deploy even when it is worse or cannot be compared
   * @param deployedBy who deploys, recorded in the event, or null
   * @return the decision
   * @throws PublishException when Kafka or the registry fails or times out
   */
  public PromotionDecision promote(ModelVersion candidate, boolean force, String deployedBy)
      throws PublishException {
    String model = candidate.getModelName();
    CompactedTopicReader reader = new CompactedTopicReader(clientConfig, serdeConfig, timeout);
    ModelDeployment current = reader.read(deployments, model::equals).get(model);
    ModelVersion serving = null;
    if (current != null) {
      String key = Topics.modelVersionKey(model, current.getVersion());
      serving = reader.read(versions, key::equals).get(key);
    }
    PromotionDecision decision = PromotionPolicy.decide(candidate, current, serving, force);
    if (decision.promoted()) {
      send(
          deployments,
          model,
          ModelVersions.deploymentOf(candidate, "promote: " + decision.reason(), deployedBy));
      logger.info("Deployed {} v{}: {}", model, candidate.getVersion(), decision.reason());
    } else {
      logger.info("Kept {} v{}: {}", model, decision.servingVersion(), decision.reason());
    }
    return decision;
  }

  private <V> void send(Topic<String, V> topic, String key, V value) throws PublishException {
    try (KafkaProducer<String, V> producer =
        new KafkaProducer<>(
            producerConfig(),
            topic.keySerde(serdeConfig).serializer(),
            topic.valueSerde(serdeConfig).serializer())) {
      producer
          .send(new ProducerRecord<>(topic.name(), key, value))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      throw new PublishException(
          "cannot publish "
              + key
              + " to "
              + topic.name()
              + ": "
              + (e instanceof ExecutionException ? e.getCause() : e)
              + "; check --bootstrap-servers and --schema-registry-url",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException("interrupted while publishing " + key, e);
    }
  }

  private Map<String, Object> producerConfig() {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "glimpse-trainer-publisher");
    return config;
  }

  /** Builder in DJL's words: {@code setX} required, {@code optX} optional. */
  public static final class Builder {
    private String bootstrapServers;
    private String schemaRegistryUrl;
    private Map<String, Object> properties = Map.of();
    private Duration timeout = Duration.ofSeconds(30);

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
     * Adds Kafka client settings (security, timeouts...) for the producer and the reader.
     *
     * @param properties client settings
     * @return this builder
     */
    public Builder optProperties(Map<String, Object> properties) {
      this.properties = Map.copyOf(properties);
      return this;
    }

    /**
     * Sets how long a send or a read may take. Defaults to 30 seconds.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder optTimeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * Checks the settings and builds the publisher.
     *
     * @return the publisher
     * @throws IllegalArgumentException when a required setting is missing
     */
    public VersionPublisher build() {
      if (bootstrapServers == null || bootstrapServers.isBlank()) {
        throw new IllegalArgumentException("setBootstrapServers is required");
      }
      if (schemaRegistryUrl == null || schemaRegistryUrl.isBlank()) {
        throw new IllegalArgumentException("setSchemaRegistryUrl is required");
      }
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the timeout must be positive, got " + timeout);
      }
      return new VersionPublisher(this);
    }
  }
}
