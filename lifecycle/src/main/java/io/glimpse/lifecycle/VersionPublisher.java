package io.glimpse.lifecycle;

import io.glimpse.schemas.avro.ModelComparison;
import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.avro.ModelVersion;
import io.glimpse.schemas.topic.Topic;
import io.glimpse.schemas.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

  private final KafkaConnection kafka;

  private VersionPublisher(KafkaConnection kafka) {
    this.kafka = kafka;
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
   * Creates a publisher for a connection.
   *
   * @param kafka where to publish
   * @return the publisher
   */
  public static VersionPublisher of(KafkaConnection kafka) {
    return new VersionPublisher(kafka);
  }

  /**
   * Publishes a version to {@code model-versions}.
   *
   * @param version the version, usually from {@link ModelVersions#of}
   * @throws PublishException when Kafka or the registry fails or times out
   */
  public void announce(ModelVersion version) throws PublishException {
    String key = Topics.modelVersionKey(version.getModelName(), version.getVersion());
    send(Topics.MODEL_VERSIONS, key, version);
    logger.info("Announced {} on {}", key, Topics.MODEL_VERSIONS.name());
  }

  /**
   * Publishes a deployment to {@code model-deployments} as it is; build it with {@link
   * DeploymentRecords} so that it carries the history and the pin.
   *
   * @param deployment the model's new deployment
   * @throws PublishException when Kafka or the registry fails or times out
   */
  public void deploy(ModelDeployment deployment) throws PublishException {
    send(Topics.MODEL_DEPLOYMENTS, deployment.getModelName(), deployment);
    logger.info(
        "Deployed {} v{}{}: {}",
        deployment.getModelName(),
        deployment.getVersion(),
        deployment.getPinned() ? " (pinned)" : "",
        deployment.getReason());
  }

  /**
   * Publishes a comparison to {@code model-comparisons} under {@code
   * <model>/<candidate>/<baseline>} (compacted: it replaces the pair's earlier comparison).
   *
   * @param comparison the comparison
   * @throws PublishException when Kafka or the registry fails or times out
   */
  public void recordComparison(ModelComparison comparison) throws PublishException {
    String key =
        Topics.comparisonKey(
            comparison.getModelName(),
            comparison.getCandidateVersion(),
            comparison.getBaselineVersion());
    send(Topics.MODEL_COMPARISONS, key, comparison);
    logger.info("Recorded the comparison {} on {}", key, Topics.MODEL_COMPARISONS.name());
  }

  /**
   * Deploys a version if {@link PromotionGate} lets it through (its default policy: a comparison
   * with the serving version on {@code model-comparisons} when one exists, else {@code
   * validation_accuracy} at least the serving one's), or when forced, unless the serving one is
   * pinned: reads the model's latest deployment and that version's record, decides, and publishes a
   * {@code ModelDeployment} (with the replaced one in front of its history, see {@link
   * DeploymentRecords}) when the decision is to promote.
   *
   * @param candidate the new version, already announced
   * @param force deploy even when it is worse or cannot be compared; a pin still wins
   * @param deployedBy who deploys, recorded in the event, or null
   * @return the decision
   * @throws PublishException when Kafka or the registry fails or times out
   */
  public PromotionDecision promote(ModelVersion candidate, boolean force, String deployedBy)
      throws PublishException {
    String model = candidate.getModelName();
    ModelCatalog catalog = new ModelCatalog(kafka);
    ModelDeployment current = catalog.deployment(model).orElse(null);
    ModelVersion serving =
        current == null ? null : catalog.version(model, current.getVersion()).orElse(null);
    ModelComparison comparison =
        current == null
            ? null
            : catalog.comparison(model, candidate.getVersion(), current.getVersion()).orElse(null);
    PromotionDecision decision =
        PromotionPolicy.decide(
            candidate, current, serving, comparison, PromotionGate.defaults(), force);
    if (decision.promoted()) {
      deploy(next(current, candidate, decision, deployedBy));
    } else {
      logger.info("Kept {} v{}: {}", model, decision.servingVersion(), decision.reason());
    }
    return decision;
  }

  private static ModelDeployment next(
      ModelDeployment current,
      ModelVersion candidate,
      PromotionDecision decision,
      String deployedBy) {
    try {
      return DeploymentRecords.promote(
              current, candidate, decision.reason(), deployedBy, Instant.now())
          .orElseThrow(() -> new IllegalStateException("the policy promoted the deployed version"));
    } catch (DeploymentRefusedException e) {
      throw new IllegalStateException("the promotion policy admitted a pinned deployment", e);
    }
  }

  private <V> void send(Topic<String, V> topic, String key, V value) throws PublishException {
    KafkaProducer<String, V> producer = null;
    try {
      producer =
          new KafkaProducer<>(
              producerConfig(),
              topic.keySerde(kafka.serdeConfig()).serializer(),
              topic.valueSerde(kafka.serdeConfig()).serializer());
      producer
          .send(new ProducerRecord<>(topic.name(), key, value))
          .get(kafka.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      throw new PublishException(
          "cannot publish "
              + key
              + " to "
              + topic.name()
              + " ("
              + kafka
              + "): "
              + Failures.describe(e)
              + "; check the bootstrap servers and the schema registry URL, and that both are up",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException("interrupted while publishing " + key, e);
    } finally {
      if (producer != null) {
        // Bounded: a record still in flight to an unreachable broker must not hold the caller.
        producer.close(kafka.timeout());
      }
    }
  }

  private Map<String, Object> producerConfig() {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) kafka.timeout().toMillis());
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "glimpse-model-publisher");
    return config;
  }

  /** Builder in DJL's words: {@code setX} required, {@code optX} optional. */
  public static final class Builder {
    private final KafkaConnection.Builder kafka = KafkaConnection.builder();

    private Builder() {}

    /**
     * Sets the Kafka bootstrap servers. Required.
     *
     * @param bootstrapServers e.g. {@code 127.0.0.1:9092}
     * @return this builder
     */
    public Builder setBootstrapServers(String bootstrapServers) {
      kafka.setBootstrapServers(bootstrapServers);
      return this;
    }

    /**
     * Sets the schema registry URL. Required.
     *
     * @param schemaRegistryUrl e.g. {@code http://127.0.0.1:8081}
     * @return this builder
     */
    public Builder setSchemaRegistryUrl(String schemaRegistryUrl) {
      kafka.setSchemaRegistryUrl(schemaRegistryUrl);
      return this;
    }

    /**
     * Adds Kafka client settings (security, timeouts...) for the producer and the reader.
     *
     * @param properties client settings
     * @return this builder
     */
    public Builder optProperties(Map<String, Object> properties) {
      kafka.optProperties(properties);
      return this;
    }

    /**
     * Sets how long a send or a read may take. Defaults to 30 seconds.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder optTimeout(Duration timeout) {
      kafka.optTimeout(timeout);
      return this;
    }

    /**
     * Checks the settings and builds the publisher.
     *
     * @return the publisher
     * @throws IllegalArgumentException when a required setting is missing
     */
    public VersionPublisher build() {
      return new VersionPublisher(kafka.build());
    }
  }
}
