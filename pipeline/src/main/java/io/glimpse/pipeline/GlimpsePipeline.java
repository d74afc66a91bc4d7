package io.glimpse.pipeline;

import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.image.ImageDecoder;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.pipeline.http.PipelineHttpServer;
import io.glimpse.pipeline.inference.ImageBatchHandler;
import io.glimpse.pipeline.metrics.PipelineMetrics;
import io.glimpse.pipeline.serving.ServingModel;
import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.avro.Prediction;
import io.glimpse.schemas.topic.Topics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running pipeline: the served model, the Kafka Streams application classifying {@code images}
 * into {@code predictions}, and its {@code /metrics} and {@code /health} endpoint. Scale-out is
 * Kafka's: instances with the same {@code application.id} share the partitions of {@code images}.
 */
public final class GlimpsePipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GlimpsePipeline.class);

  private final ServingModel model;
  private final PrometheusMeterRegistry registry;
  private final KafkaStreams streams;
  private final KafkaStreamsMetrics streamsMetrics;
  private final PipelineHttpServer http;
  private final boolean staticMember;

  private GlimpsePipeline(PipelineConfig config, ServingModel model) {
    this.model = model;
    this.staticMember =
        config.streamsProperties().stringPropertyNames().stream()
            .anyMatch(k -> k.endsWith("group.instance.id"));
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PipelineMetrics metrics = new PipelineMetrics(registry);
    metrics.servingModel(model.name(), model.version());
    Deserializer<ImageEvent> images = Topics.IMAGES.valueSerde(config.serdeConfig()).deserializer();
    Serializer<Prediction> predictions =
        Topics.PREDICTIONS.valueSerde(config.serdeConfig()).serializer();
    ImageDecoder decoder = ImageDecoder.builder().optMaxPixels(config.maxPixels()).build();
    ImageBatchHandler handler =
        new ImageBatchHandler(() -> model, images, decoder, config.topK(), metrics);
    Topology topology = ClassificationTopology.buildTopology(config, handler, metrics, predictions);
    LOG.debug("Topology:\n{}", topology.describe());
    this.streams = new KafkaStreams(topology, streamsConfig(config));
    // A thread that dies (a batch that failed as a whole) is replaced; its task restarts from
    // the committed buffer, so nothing is lost.
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("Stream thread failed; replacing it", e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    this.streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);
    this.http =
        config.httpPort() < 0
            ? null
            : new PipelineHttpServer(config.httpHost(), config.httpPort(), registry, this::health);
  }

  /** The Streams configuration: the pass-through keys, nothing added that a user cannot see. */
  public static Properties streamsConfig(PipelineConfig config) {
    Properties properties = config.streamsProperties();
    properties.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, "glimpse-pipeline");
    return properties;
  }

  /**
   * Loads and verifies the model, then starts the Streams application and the HTTP endpoint.
   *
   * @throws ModelArtifactException when the model cannot be served; nothing is started then
   */
  public static GlimpsePipeline start(PipelineConfig config) throws ModelArtifactException {
    ServingModel model =
        ServingModel.load(config.modelPath(), config.modelSha256(), config.modelDevice());
    GlimpsePipeline pipeline;
    try {
      pipeline = new GlimpsePipeline(config, model);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    if (pipeline.http != null) {
      pipeline.http.start();
    }
    pipeline.streams.start();
    LOG.info(
        "Pipeline {} started: {} -> {} (model {} {})",
        config.streamsProperties().get(StreamsConfig.APPLICATION_ID_CONFIG),
        config.imagesTopic(),
        config.predictionsTopic(),
        model.name(),
        model.version());
    return pipeline;
  }

  /** Live and ready flags as the health endpoint reports them. */
  public PipelineHealth health() {
    KafkaStreams.State state = streams.state();
    boolean live = state != KafkaStreams.State.ERROR && state != KafkaStreams.State.NOT_RUNNING;
    boolean ready = live && state == KafkaStreams.State.RUNNING;
    return new PipelineHealth(live, ready, state.name(), model.name(), model.version());
  }

  /** The Streams state. */
  public KafkaStreams.State state() {
    return streams.state();
  }

  /** The bound HTTP port, or -1 when the endpoint is disabled. */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  /** The Prometheus text the endpoint serves. */
  public String scrapeMetrics() {
    return registry.scrape();
  }

  /**
   * Stops Streams (committing what is done), the endpoint, and the model. The instance leaves its
   * consumer group, so its partitions move at once instead of after the session timeout (45 s by
   * default) — unless it uses static membership ({@code group.instance.id}), whose point is to keep
   * its partitions across a restart.
   */
  public void close(Duration timeout) {
    streams.close(
        CloseOptions.timeout(timeout)
            .withGroupMembershipOperation(
                staticMember
                    ? CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP
                    : CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    streamsMetrics.close();
    if (http != null) {
      http.close();
    }
    model.close();
    registry.close();
    LOG.info("Pipeline stopped");
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }
}
