package io.glimpse.ops.bench;

import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.ops.embedded.EmbeddedStack;
import io.glimpse.pipeline.GlimpsePipeline;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.schemas.serde.AvroSerdeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The real pipeline ({@link GlimpsePipeline}, in this JVM) on one phase's topics, configured from
 * the pipeline's own defaults plus the few settings the benchmark passes: topics, batch size and
 * linger, guarantee, stream threads, optionally {@code commit.interval.ms}, and housekeeping
 * (application id, state directory, no HTTP endpoint).
 */
final class BenchPipeline implements AutoCloseable {
  /** The settings the report prints: whatever shapes throughput and latency. */
  private static final List<String> REPORTED =
      List.of(
          StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
          StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
          StreamsConfig.POLL_MS_CONFIG,
          StreamsConfig.NUM_STREAM_THREADS_CONFIG,
          PipelineConfig.BATCH_MAX_LINGER_MS,
          "producer.linger.ms");

  private final GlimpsePipeline pipeline;
  private final PipelineConfig config;
  private final String applicationId;

  private BenchPipeline(GlimpsePipeline pipeline, PipelineConfig config, String applicationId) {
    this.pipeline = pipeline;
    this.config = config;
    this.applicationId = applicationId;
  }

  /** The configuration a phase runs with, batch size {@code batchSize}. */
  static PipelineConfig config(
      EmbeddedStack stack,
      BenchTopics topics,
      Path model,
      Path stateDir,
      BenchSettings settings,
      int batchSize) {
    Map<String, Object> overrides = new HashMap<>();
    overrides.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    overrides.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl());
    overrides.put(StreamsConfig.APPLICATION_ID_CONFIG, topics.phase());
    overrides.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    overrides.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, settings.guarantee());
    if (settings.threads() > 0) {
      overrides.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.threads());
    }
    if (settings.commitIntervalMs() >= 0) {
      overrides.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitIntervalMs());
    }
    overrides.put(PipelineConfig.IMAGES_TOPIC, topics.images());
    overrides.put(PipelineConfig.PREDICTIONS_TOPIC, topics.predictions());
    overrides.put(PipelineConfig.DLQ_TOPIC, topics.deadLetters());
    overrides.put(PipelineConfig.BATCH_MAX_SIZE, batchSize);
    overrides.put(PipelineConfig.BATCH_MAX_LINGER_MS, settings.lingerMs());
    overrides.put(PipelineConfig.BATCH_FLUSH_WHEN_IDLE, settings.idleFlush());
    overrides.put(PipelineConfig.BATCH_COMMIT_WHEN_IDLE, settings.idleFlush());
    overrides.put(PipelineConfig.MODEL_PATH, model.toString());
    overrides.put(PipelineConfig.HTTP_PORT, -1);
    // The bench measures classification; the quality application beside it is measured apart.
    overrides.put(PipelineConfig.QUALITY_ENABLED, false);
    return PipelineConfig.of(overrides);
  }

  /** The settings that shape the measurement, as the pipeline will run them. */
  static Map<String, Object> reportedSettings(PipelineConfig config) {
    Map<String, Object> reported = new LinkedHashMap<>();
    for (String key : REPORTED) {
      reported.put(key, config.get(key).orElse(null));
    }
    if (reported.get("producer.linger.ms") == null) {
      reported.put("producer.linger.ms", "100 (Kafka Streams' default)");
    }
    return reported;
  }

  /**
   * Starts the pipeline (loads, verifies and warms up the model first).
   *
   * @throws ModelArtifactException when the model cannot be served
   */
  static BenchPipeline start(PipelineConfig config) throws ModelArtifactException {
    String applicationId = config.get(StreamsConfig.APPLICATION_ID_CONFIG).orElseThrow();
    return new BenchPipeline(GlimpsePipeline.start(config), config, applicationId);
  }

  /** The configuration it runs with. */
  PipelineConfig config() {
    return config;
  }

  /** True once Kafka Streams is RUNNING (tasks assigned, processing). */
  boolean running() {
    return pipeline.state() == KafkaStreams.State.RUNNING;
  }

  /**
   * Fails when Kafka Streams has stopped.
   *
   * @throws IllegalStateException when it is in ERROR or NOT_RUNNING
   */
  void checkAlive() {
    KafkaStreams.State state = pipeline.state();
    if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
      throw new IllegalStateException(
          "The pipeline of phase " + applicationId + " stopped (" + state + "); see the log");
    }
  }

  /** Its cumulative counters now. */
  PipelineProfile.Snapshot snapshot() {
    return PipelineProfile.snapshot(pipeline, applicationId);
  }

  @Override
  public void close() {
    pipeline.close(Duration.ofSeconds(30));
  }
}
