package io.glimpse.ops.bench;

import io.glimpse.lifecycle.KafkaConnection;
import io.glimpse.lifecycle.PublishException;
import io.glimpse.lifecycle.VersionPublisher;
import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.ModelArtifact;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.mobilenet.UntrainedModels;
import io.glimpse.model.store.FileModelStore;
import io.glimpse.model.store.ModelStoreException;
import io.glimpse.ops.embedded.EmbeddedStack;
import io.glimpse.pipeline.GlimpsePipeline;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.serde.AvroSerdeConfig;
import io.glimpse.schemas.topic.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code glimpse bench reload}: hot reload under load, on an embedded stack in a temporary
 * directory. Two untrained versions of the same MobileNetV1 go into a real file store; a probe of
 * JPEG images with poison records mixed in is published and {@code instances} pipelines sharing one
 * application id, following the model's deployments, drain it while the rate is measured; they
 * stop, a backlog sized from that rate ({@link ReloadBacklog}) is published, and they start again;
 * once each serves v1 and every partition is predicting, after a settling second and {@code
 * steady_seconds} of steady draining, v2 is promoted; the run ends when every record is accounted
 * for. {@link ReloadReport} turns the predictions into the numbers.
 */
public final class ReloadBench {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadBench.class);
  private static final String MODEL = "bench-reload";
  private static final Duration DEADLINE = Duration.ofMinutes(5);

  private ReloadBench() {}

  /**
   * Runs the benchmark.
   *
   * @throws ModelArtifactException when a version cannot be written
   * @throws ModelStoreException when the store refuses a version
   * @throws InterruptedException when interrupted
   */
  public static ReloadReport run(ReloadSettings settings)
      throws ModelArtifactException, ModelStoreException, InterruptedException {
    long started = System.nanoTime();
    try (Workspace workspace = Workspace.create();
        EmbeddedStack stack =
            EmbeddedStack.builder().optDataDir(workspace.resolve("stack")).build().start()) {
      FileModelStore store = new FileModelStore(createDirectories(workspace.resolve("store")));
      ModelDeployment v1 =
          storeVersion(
              store,
              workspace,
              MODEL,
              "1",
              settings.shape().widthMultiplier(),
              settings.shape().inputShape(),
              7);
      ModelDeployment v2 =
          storeVersion(
              store,
              workspace,
              MODEL,
              "2",
              settings.shape().widthMultiplier(),
              settings.shape().inputShape(),
              8);
      BenchTopics topics =
          BenchTopics.create(
              stack.bootstrapServers(), "bench-reload", settings.shape().partitions());
      Published probe = publish(stack, topics, settings, "probe-", settings.probeImages());
      deploy(stack, v1);
      List<GlimpsePipeline> instances = new ArrayList<>();
      try (ReloadObserver observer =
          new ReloadObserver(stack.bootstrapServers(), stack.clientConfig(), topics)) {
        startInstances(instances, stack, topics, store, workspace, settings);
        await(
            "every instance serving v1 and the " + probe.records() + " probe records",
            () -> serving(instances, "1") && observer.records() >= probe.records());
        ReloadBacklog sizing =
            new ReloadBacklog(
                ReloadBacklog.drainRate(
                        observer.seen().stream().map(ReloadObserver.Seen::processedMillis).toList())
                    / (1 - settings.badFraction()),
                settings.steadySeconds());
        // The backlog goes in while no instance runs, so that all of it is waiting when they start
        // again (from the committed offsets, the probe consumed).
        stopInstances(instances);
        Published backlog = publish(stack, topics, settings, "bench-", sizing.images());
        LOG.info(
            "Probe drained {} records/s; published a backlog of {}",
            Math.round(sizing.drainPerSecond()),
            backlog.records());
        int images = probe.records() + backlog.records();
        int probePredictions = observer.predictions();
        startInstances(instances, stack, topics, store, workspace, settings);
        await(
            "every instance serving v1 and every partition predicting again",
            () ->
                serving(instances, "1")
                    && observer.partitionsPredictingSince(probePredictions)
                        == settings.shape().partitions());
        long steadyUntil =
            System.nanoTime()
                + (long) ((ReloadBacklog.SETTLE_SECONDS + settings.steadySeconds()) * 1e9);
        await("the steady period", () -> System.nanoTime() >= steadyUntil);
        int waiting = images - observer.records();
        long now = System.currentTimeMillis();
        double current =
            observer.seen().stream()
                    .filter(p -> p.processedMillis() >= now - settings.steadySeconds() * 1000L)
                    .count()
                / (double) settings.steadySeconds()
                / (1 - settings.badFraction());
        if (waiting < sizing.neededAtPromote(current)) {
          throw new IllegalStateException(
              String.format(
                  Locale.ROOT,
                  "Only %d of the %d backlog records were still waiting at the promote, %d are"
                      + " needed for the swap and after-swap windows at %.0f records/s (the probe"
                      + " measured %.0f): the load on the machine changed under the run; rerun on"
                      + " a quieter machine",
                  waiting,
                  backlog.records(),
                  sizing.neededAtPromote(current),
                  current,
                  sizing.drainPerSecond()));
        }
        long promoted = System.currentTimeMillis();
        deploy(stack, v2);
        LOG.info("Promoted v2 with {} predictions so far", observer.predictions());
        await("every instance serving v2", () -> serving(instances, "2"));
        List<Long> swaps =
            instances.stream().map(p -> p.servingStatus().servedSince().toEpochMilli()).toList();
        await("every record predicted or dead-lettered", () -> observer.records() >= images);
        return ReloadReport.of(
            settings,
            new ReloadReport.Run(
                images,
                probe.poison() + backlog.poison(),
                sizing,
                backlog.records(),
                promoted,
                swaps,
                (System.nanoTime() - started) / 1e9),
            observer.seen(),
            observer.deadLetters());
      } finally {
        stopInstances(instances);
      }
    }
  }

  /**
   * Records published in one go.
   *
   * @param records how many
   * @param poison how many of them are poison
   */
  private record Published(int records, int poison) {}

  private static void startInstances(
      List<GlimpsePipeline> instances,
      EmbeddedStack stack,
      BenchTopics topics,
      FileModelStore store,
      Workspace workspace,
      ReloadSettings settings)
      throws ModelArtifactException {
    for (int i = 0; i < settings.instances(); i++) {
      instances.add(GlimpsePipeline.start(config(stack, topics, store, workspace, settings, i)));
    }
  }

  private static void stopInstances(List<GlimpsePipeline> instances) {
    instances.forEach(p -> p.close(Duration.ofSeconds(30)));
    instances.clear();
  }

  private static boolean serving(List<GlimpsePipeline> instances, String version) {
    return instances.stream().allMatch(p -> version.equals(p.servingStatus().servedVersion()));
  }

  private static Published publish(
      EmbeddedStack stack,
      BenchTopics topics,
      ReloadSettings settings,
      String idPrefix,
      int count) {
    BenchImages images;
    try (var serializer = Topics.IMAGES.valueSerde(stack.clientConfig()).serializer()) {
      images =
          BenchImages.generate(
                  idPrefix, count, settings.shape().inputSize(), 3, ImageFormat.JPEG, serializer)
              .withPoison(settings.badFraction(), serializer);
    }
    try (ImagePublisher publisher = new ImagePublisher(stack.bootstrapServers())) {
      publisher.publishAll(topics.images(), images);
    }
    return new Published(count, (int) Math.floor(count * settings.badFraction()));
  }

  private static PipelineConfig config(
      EmbeddedStack stack,
      BenchTopics topics,
      FileModelStore store,
      Workspace workspace,
      ReloadSettings settings,
      int instance) {
    return PipelineConfig.of(
        pipelineSettings(
            stack,
            topics,
            store,
            workspace,
            MODEL,
            "bench-" + instance,
            settings.shape().batchSize()));
  }

  /**
   * The settings of a benchmark pipeline instance that follows {@code model}'s deployments on the
   * stack, in a group named after the topics' phase, with no HTTP port and no quality monitor.
   */
  static Map<String, Object> pipelineSettings(
      EmbeddedStack stack,
      BenchTopics topics,
      FileModelStore store,
      Workspace workspace,
      String model,
      String instanceId,
      int batchSize) {
    Map<String, Object> overrides = new HashMap<>();
    overrides.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    overrides.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl());
    overrides.put(StreamsConfig.APPLICATION_ID_CONFIG, topics.phase());
    overrides.put(
        StreamsConfig.STATE_DIR_CONFIG, workspace.resolve("streams-" + instanceId).toString());
    overrides.put(PipelineConfig.IMAGES_TOPIC, topics.images());
    overrides.put(PipelineConfig.PREDICTIONS_TOPIC, topics.predictions());
    overrides.put(PipelineConfig.DLQ_TOPIC, topics.deadLetters());
    overrides.put(PipelineConfig.BATCH_MAX_SIZE, batchSize);
    overrides.put(PipelineConfig.MODEL_NAME, model);
    overrides.put(PipelineConfig.MODEL_STORE, store.uri().toString());
    overrides.put(PipelineConfig.INSTANCE_ID, instanceId);
    overrides.put(PipelineConfig.HTTP_PORT, -1);
    overrides.put(PipelineConfig.QUALITY_ENABLED, false);
    return overrides;
  }

  /**
   * Writes an untrained MobileNetV1 version of {@code model} into the store and returns the
   * deployment that promotes it (the benchmarks' versions; throughput does not depend on weights).
   */
  static ModelDeployment storeVersion(
      FileModelStore store,
      Workspace workspace,
      String model,
      String version,
      float widthMultiplier,
      InputShape shape,
      int seed)
      throws ModelArtifactException, ModelStoreException {
    Path artifact = workspace.resolve("artifact-" + version);
    UntrainedModels.write(
        artifact, model, version, widthMultiplier, shape, UntrainedModels.numberedLabels(10), seed);
    URI uri = store.put(artifact, model, version);
    return ModelDeployment.newBuilder()
        .setModelName(model)
        .setVersion(version)
        .setArtifactUri(uri.toString())
        .setSha256(ModelArtifact.manifestSha256(Path.of(uri)))
        .setReason("bench")
        .setDeployedTime(Instant.now())
        .build();
  }

  /** Publishes the deployment with the trainer's own publisher, as the operator commands do. */
  static void deploy(EmbeddedStack stack, ModelDeployment deployment) {
    KafkaConnection kafka =
        KafkaConnection.builder()
            .setBootstrapServers(stack.bootstrapServers())
            .setSchemaRegistryUrl(stack.schemaRegistryUrl())
            .build();
    deployment.setDeployedTime(Instant.now());
    try {
      VersionPublisher.of(kafka).deploy(deployment);
    } catch (PublishException e) {
      throw new IllegalStateException("Could not publish the deployment: " + e.getMessage(), e);
    }
  }

  /** Waits for {@code condition}, at most five minutes; the message names {@code what}. */
  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Timed out after " + DEADLINE + " waiting for " + what);
      }
      Thread.sleep(20); // a benchmark's own pacing loop, not a test synchronisation
    }
  }

  static Path createDirectories(Path directory) {
    try {
      return Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
