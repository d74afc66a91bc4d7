package io.glimpse.pipeline;

import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.image.ImageDecoder;
import io.glimpse.pipeline.batch.BatchFailedException;
import io.glimpse.pipeline.batch.FaultTracker;
import io.glimpse.pipeline.batch.InputBacklog;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.pipeline.http.PipelineHttpServer;
import io.glimpse.pipeline.inference.ImageBatchHandler;
import io.glimpse.pipeline.inference.PredictionEncoder;
import io.glimpse.pipeline.metrics.InstanceInfo;
import io.glimpse.pipeline.metrics.PipelineMetrics;
import io.glimpse.pipeline.quality.QualityMetrics;
import io.glimpse.pipeline.quality.QualityMonitor;
import io.glimpse.pipeline.quality.QualitySettings;
import io.glimpse.pipeline.serving.ServingModel;
import io.glimpse.pipeline.serving.ServingStatus;
import io.glimpse.pipeline.web.WebConsole;
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
 * A running pipeline: the served model (pinned, or following deployments with hot reload), the
 * Kafka Streams application classifying {@code images} into {@code predictions}, and its {@code
 * /metrics} and {@code /health} endpoint, and (unless {@code glimpse.quality.enabled=false}) the
 * {@link QualityMonitor} that joins late labels into online accuracy and watches drift, and (unless
 * {@code glimpse.web.enabled=false}) the live page on the same endpoint. Scale-out is Kafka's:
 * instances with the same {@code application.id} share the partitions of {@code images}.
 */
public final class GlimpsePipeline implements AutoCloseable {
  /**
   * How long {@link #close()} (and the CLI's shutdown on SIGTERM) waits for Kafka Streams to finish
   * its batches, commit and leave the group. A deployment's grace period (Kubernetes'
   * terminationGracePeriodSeconds, Compose's stop_grace_period) must outlast it.
   */
  public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(GlimpsePipeline.class);

  private final ModelServing serving;
  private final PrometheusMeterRegistry registry;
  private final KafkaStreams streams;
  private final KafkaStreamsMetrics streamsMetrics;
  private final PipelineHttpServer http;
  private final boolean staticMember;
  private final FaultTracker faults;
  private final OutageGate outages;
  private final QualityMonitor quality;
  private final WebConsole web;

  private GlimpsePipeline(
      PipelineConfig config,
      PrometheusMeterRegistry registry,
      PipelineMetrics metrics,
      ModelServing serving) {
    this.serving = serving;
    this.staticMember =
        config.streamsProperties().stringPropertyNames().stream()
            .anyMatch(k -> k.endsWith("group.instance.id"));
    this.registry = registry;
    Deserializer<ImageEvent> images = Topics.IMAGES.valueSerde(config.serdeConfig()).deserializer();
    Serializer<Prediction> predictions =
        Topics.PREDICTIONS.valueSerde(config.serdeConfig()).serializer();
    ImageDecoder decoder = ImageDecoder.builder().optMaxPixels(config.maxPixels()).build();
    ImageBatchHandler handler =
        new ImageBatchHandler(
            serving.slot(),
            images,
            new PredictionEncoder(predictions, config.predictionsTopic()),
            decoder,
            config.topK(),
            metrics);
    this.faults = new FaultTracker(config.faultPolicy());
    InputBacklog backlog = new InputBacklog();
    Topology topology =
        ClassificationTopology.buildTopology(config, handler, metrics, faults, backlog);
    LOG.debug("Topology:\n{}", topology.describe());
    this.streams =
        new KafkaStreams(
            topology, streamsConfig(config), new BacklogReportingClientSupplier(backlog));
    streams.setUncaughtExceptionHandler(GlimpsePipeline::onStreamThreadFailure);
    this.outages = new OutageGate(streams);
    faults.setOutageListener(outages);
    this.streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);
    QualitySettings qualitySettings = config.qualitySettings();
    this.quality =
        qualitySettings.enabled()
            ? new QualityMonitor(
                qualitySettings,
                streamsConfig(config),
                config.serdeConfig(),
                new QualityMetrics(registry))
            : null;
    this.http =
        config.httpPort() < 0
            ? null
            : new PipelineHttpServer(config.httpHost(), config.httpPort(), registry, this::health);
    this.web =
        http != null && config.webEnabled()
            ? WebConsole.create(config, decoder, this::health)
            : null;
    if (web != null) {
      http.mountPage(web);
    }
  }

  /**
   * A thread that dies is replaced and its tasks restart from the committed buffer, so nothing is
   * lost; a record that keeps failing is dead-lettered by the batcher after
   * glimpse.failure.max.consecutive attempts. A batch that failed as a whole that many times in a
   * row is not tied to one record (the model is gone): the client stops, /health/live says so, and
   * an orchestrator restarts the process; the batch is still in the buffer's changelog.
   */
  static StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse onStreamThreadFailure(
      Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BatchFailedException failed && failed.exhausted()) {
        LOG.error(
            "Batches keep failing as a whole; shutting the pipeline's Streams client down", e);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      }
    }
    LOG.error("Stream thread failed; replacing it (its tasks restart from their buffer)", e);
    return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  /** The Streams configuration: the pass-through keys, nothing added that a user cannot see. */
  public static Properties streamsConfig(PipelineConfig config) {
    Properties properties = config.streamsProperties();
    properties.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, "glimpse-pipeline");
    return properties;
  }

  /**
   * Starts the pipeline. Pinned to an artifact ({@code glimpse.model.path}), it verifies and loads
   * it first and fails if it cannot be served. Following a model name ({@code glimpse.model.name}),
   * it reads the deployments topic on a thread of its own and starts the stream threads once the
   * deployed version is served; until then {@code /health/ready} says what it waits for. The HTTP
   * endpoint starts at once either way.
   *
   * @throws ModelArtifactException when a pinned model cannot be served; nothing is started then
   * @throws org.apache.kafka.common.config.ConfigException when there is nothing to serve
   */
  public static GlimpsePipeline start(PipelineConfig config) throws ModelArtifactException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PipelineMetrics metrics = new PipelineMetrics(registry);
    InstanceInfo.register(
        registry,
        streamsConfig(config).getProperty(StreamsConfig.APPLICATION_ID_CONFIG),
        config.instanceId());
    ModelServing serving = ModelServing.create(config, metrics);
    GlimpsePipeline pipeline;
    try {
      pipeline = new GlimpsePipeline(config, registry, metrics, serving);
    } catch (RuntimeException e) {
      serving.close();
      throw e;
    }
    if (pipeline.http != null) {
      pipeline.http.start();
    }
    if (pipeline.web != null) {
      pipeline.web.start();
    }
    Object application = streamsConfig(config).get(StreamsConfig.APPLICATION_ID_CONFIG);
    serving.start(
        () -> {
          pipeline.streams.start();
          pipeline.addStreamThreadsForTheModel(config);
          if (pipeline.quality != null) {
            pipeline.quality.start();
          }
          ServingStatus status = serving.status();
          LOG.info(
              "Pipeline {} started: {} -> {} (model {} version {})",
              application,
              config.imagesTopic(),
              config.predictionsTopic(),
              status.modelName(),
              status.servedVersion());
        });
    return pipeline;
  }

  /**
   * Unless {@code num.stream.threads} is set: when the served model runs fastest on one intra-op
   * thread (small models do: {@code IntraOpThreads}), one stream thread per core, so that the cores
   * decode and classify side by side instead of handing every op between them; otherwise the one
   * stream thread, whose forward passes use every core. More threads than partitions of {@code
   * images} only idle.
   */
  private void addStreamThreadsForTheModel(PipelineConfig config) {
    if (config.streamsProperties().containsKey(StreamsConfig.NUM_STREAM_THREADS_CONFIG)) {
      return;
    }
    int intraOp = serving.slot().peek().map(ServingModel::intraOpThreads).orElse(0);
    int cores = Runtime.getRuntime().availableProcessors();
    if (intraOp != 1 || cores < 2) {
      LOG.info(
          "One stream thread: the model's forward passes use {} intra-op thread(s)",
          intraOp == 0 ? "libtorch's default" : intraOp);
      return;
    }
    int added = 0;
    for (int i = 1; i < cores; i++) {
      if (streams.addStreamThread().isPresent()) {
        added++;
      }
    }
    LOG.info(
        "{} stream threads, one per core: the model runs fastest on one intra-op thread"
            + " (num.stream.threads fixes the count)",
        1 + added);
  }

  /** Live and ready flags as the health endpoint reports them. */
  public PipelineHealth health() {
    return PipelineHealth.of(streams.state(), serving.status(), faults.outage().orElse(null));
  }

  /** What this instance serves now: the deployed and served version, the last refusal. */
  public ServingStatus servingStatus() {
    return serving.status();
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
    serving.stopFollowing();
    outages.close();
    if (quality != null) {
      quality.close(timeout);
    }
    boolean stopped =
        streams.close(
            CloseOptions.timeout(timeout)
                .withGroupMembershipOperation(
                    staticMember
                        ? CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP
                        : CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    if (!stopped) {
      LOG.warn(
          "Kafka Streams did not stop within {}; the model is freed only once the last batch"
              + " using it has ended",
          timeout);
    }
    streamsMetrics.close();
    if (web != null) {
      web.close();
    }
    if (http != null) {
      http.close();
    }
    serving.close(); // after Streams: no stream thread is inside a forward pass any more
    registry.close();
    LOG.info("Pipeline stopped");
  }

  @Override
  public void close() {
    close(CLOSE_TIMEOUT);
  }
}
