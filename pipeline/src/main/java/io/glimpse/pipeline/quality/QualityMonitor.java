package io.glimpse.pipeline.quality;

import io.glimpse.lifecycle.KafkaConnection;
import io.glimpse.schemas.serde.AvroSerdeConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's second Kafka Streams application ({@code <application.id>-quality}, one stream
 * thread): online accuracy from late labels, and drift ({@link QualityTopology}). Instances share
 * its partitions as they share the classification's; each counts its own in the metrics, and the
 * tallies on {@code model-quality} carry their partition so that readers add them up.
 */
public final class QualityMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QualityMonitor.class);

  private final KafkaStreams streams;
  private final QualitySettings settings;
  private final Properties properties;
  private volatile boolean started;

  /**
   * Builds the application; nothing runs until {@link #start()}.
   *
   * @param settings topics, windows and thresholds
   * @param pipelineStreams the classification's Streams properties (connection, guarantee)
   * @param serdeConfig the Avro serde's configuration
   * @param metrics where joins and drift are counted
   */
  public QualityMonitor(
      QualitySettings settings,
      Properties pipelineStreams,
      Map<String, Object> serdeConfig,
      QualityMetrics metrics) {
    this.settings = settings;
    Properties properties = new Properties();
    this.properties = properties;
    properties.putAll(pipelineStreams);
    properties.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId(pipelineStreams));
    properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
    // Labels and predictions are not urgent: commit like Kafka Streams' exactly-once default.
    properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000");
    properties.put(StreamsConfig.POLL_MS_CONFIG, "100");
    // The model-versions global store: Kafka Streams 5 will handle its exceptions like the tasks'.
    // (by name: StreamsConfig's constant for it is deprecated already)
    properties.putIfAbsent("processing.exception.handler.global.enabled", "true");
    LabelSets labelSets =
        new RegisteredLabelSets(connection(properties, serdeConfig), settings.topics().versions());
    this.streams =
        new KafkaStreams(
            QualityTopology.build(settings, serdeConfig, metrics, labelSets), properties);
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("Quality stream thread failed; replacing it", e);
          return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
  }

  /** Kafka and the registry as the pipeline reaches them, for reading {@code model-versions}. */
  private static KafkaConnection connection(Properties streams, Map<String, Object> serdeConfig) {
    Map<String, Object> client = new HashMap<>();
    for (String key : streams.stringPropertyNames()) {
      if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
        client.put(key, streams.getProperty(key));
      }
    }
    serdeConfig.forEach(
        (key, value) -> {
          if (key.startsWith("basic.auth.") || key.startsWith("bearer.auth.")) {
            client.put(key, value);
          }
        });
    return KafkaConnection.builder()
        .setBootstrapServers(streams.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG))
        .setSchemaRegistryUrl(String.valueOf(serdeConfig.get(AvroSerdeConfig.SCHEMA_REGISTRY_URL)))
        .optProperties(client)
        .optTimeout(Duration.ofSeconds(10))
        .build();
  }

  /** {@code <application.id>-quality}: the quality application beside a pipeline's. */
  public static String applicationId(Properties pipelineStreams) {
    return pipelineStreams.getProperty(StreamsConfig.APPLICATION_ID_CONFIG, "glimpse-pipeline")
        + "-quality";
  }

  /**
   * Starts the stream thread, unless a topic it reads is missing: then it says which and how to
   * create them, and the pipeline classifies without it.
   *
   * @return whether it started
   */
  public boolean start() {
    QualitySettings.Topics topics = settings.topics();
    List<String> needed =
        List.of(
            topics.predictions(), topics.shadowPredictions(), topics.labels(), topics.versions());
    Set<String> missing = new TreeSet<>(needed);
    try (Admin admin = Admin.create(adminConfig())) {
      missing.removeAll(admin.listTopics().names().get(30, TimeUnit.SECONDS));
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("Could not list topics ({}); starting the quality application anyway", e.toString());
      missing.clear();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    if (!missing.isEmpty()) {
      LOG.warn(
          "Online accuracy and drift are off: topic(s) {} do not exist. Create them (partitions"
              + " as images; ops/docker/create-topics.sh lists every topic) and restart, or set"
              + " glimpse.quality.enabled=false to silence this",
          missing);
      return false;
    }
    streams.start();
    started = true;
    return true;
  }

  private Map<String, Object> adminConfig() {
    Map<String, Object> config = new HashMap<>();
    for (String key : properties.stringPropertyNames()) {
      if (AdminClientConfig.configNames().contains(key)) {
        config.put(key, properties.getProperty(key));
      }
    }
    return config;
  }

  /** The Streams state. */
  public KafkaStreams.State state() {
    return streams.state();
  }

  /** Stops, committing what was joined, and leaves the group. */
  public void close(Duration timeout) {
    if (!started) {
      streams.close(Duration.ZERO);
      return;
    }
    if (!streams.close(
        CloseOptions.timeout(timeout)
            .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP))) {
      LOG.warn("The quality application did not stop within {}", timeout);
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }
}
