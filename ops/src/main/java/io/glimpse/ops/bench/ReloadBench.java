package io.glimpse.ops.bench;

import io.glimpse.lifecycle.KafkaConnection;
import io.glimpse.lifecycle.PublishException;
import io.glimpse.lifecycle.VersionPublisher;
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
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code glimpse bench reload}: hot reload under load, on an embedded stack in a temporary
 * directory. Two untrained versions of the same MobileNetV1 go into a real file store; a backlog of
 * JPEG images with poison records mixed in is published; {@code instances} pipelines sharing one
 * application id follow the model's deployments and drain it; after the warm-up and {@code
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
      ModelDeployment v1 = storeVersion(store, workspace, settings, "1", 7);
      ModelDeployment v2 = storeVersion(store, workspace, settings, "2", 8);
      BenchTopics topics =
          BenchTopics.create(stack.bootstrapServers(), "bench-reload", settings.partitions());
      int poison = publishBacklog(stack, topics, settings);
      deploy(stack, v1);
      List<GlimpsePipeline> instances = new ArrayList<>();
      try (ReloadObserver observer =
          new ReloadObserver(stack.bootstrapServers(), stack.clientConfig(), topics)) {
        for (int i = 0; i < settings.instances(); i++) {
          instances.add(
              GlimpsePipeline.start(config(stack, topics, store, workspace, settings, i)));
        }
        int warmUp = settings.images() / 5;
        await(
            "every instance serving v1 and " + warmUp + " predictions",
            () -> serving(instances, "1") && observer.predictions() >= warmUp);
        long steadyUntil = System.nanoTime() + settings.steadySeconds() * 1_000_000_000L;
        await("the steady period", () -> System.nanoTime() >= steadyUntil);
        if (observer.records() >= settings.images()) {
          throw new IllegalStateException(
              "The backlog of "
                  + settings.images()
                  + " records was drained before the promote; raise --images");
        }
        long promoted = System.currentTimeMillis();
        deploy(stack, v2);
        LOG.info("Promoted v2 with {} predictions so far", observer.predictions());
        await("every instance serving v2", () -> serving(instances, "2"));
        List<Long> swaps =
            instances.stream().map(p -> p.servingStatus().servedSince().toEpochMilli()).toList();
        await(
            "every record predicted or dead-lettered",
            () -> observer.records() >= settings.images());
        return ReloadReport.of(
            settings,
            observer.seen(),
            observer.deadLetters(),
            poison,
            promoted,
            swaps,
            (System.nanoTime() - started) / 1e9);
      } finally {
        instances.forEach(p -> p.close(Duration.ofSeconds(30)));
      }
    }
  }

  private static boolean serving(List<GlimpsePipeline> instances, String version) {
    return instances.stream().allMatch(p -> version.equals(p.servingStatus().servedVersion()));
  }

  private static int publishBacklog(
      EmbeddedStack stack, BenchTopics topics, ReloadSettings settings) {
    BenchImages images;
    try (var serializer = Topics.IMAGES.valueSerde(stack.clientConfig()).serializer()) {
      images =
          BenchImages.generate(
                  settings.images(), settings.inputSize(), 3, ImageFormat.JPEG, serializer)
              .withPoison(settings.badFraction(), serializer);
    }
    try (ImagePublisher publisher = new ImagePublisher(stack.bootstrapServers())) {
      publisher.publishAll(topics.images(), images);
    }
    return (int) Math.floor(settings.images() * settings.badFraction());
  }

  private static PipelineConfig config(
      EmbeddedStack stack,
      BenchTopics topics,
      FileModelStore store,
      Workspace workspace,
      ReloadSettings settings,
      int instance) {
    Map<String, Object> overrides = new HashMap<>();
    overrides.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    overrides.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl());
    overrides.put(StreamsConfig.APPLICATION_ID_CONFIG, topics.phase());
    overrides.put(
        StreamsConfig.STATE_DIR_CONFIG, workspace.resolve("streams-" + instance).toString());
    overrides.put(PipelineConfig.IMAGES_TOPIC, topics.images());
    overrides.put(PipelineConfig.PREDICTIONS_TOPIC, topics.predictions());
    overrides.put(PipelineConfig.DLQ_TOPIC, topics.deadLetters());
    overrides.put(PipelineConfig.BATCH_MAX_SIZE, settings.batchSize());
    overrides.put(PipelineConfig.MODEL_NAME, MODEL);
    overrides.put(PipelineConfig.MODEL_STORE, store.uri().toString());
    overrides.put(PipelineConfig.INSTANCE_ID, "bench-" + instance);
    overrides.put(PipelineConfig.HTTP_PORT, -1);
    overrides.put(PipelineConfig.QUALITY_ENABLED, false);
    return PipelineConfig.of(overrides);
  }

  private static ModelDeployment storeVersion(
      FileModelStore store, Workspace workspace, ReloadSettings settings, String version, int seed)
      throws ModelArtifactException, ModelStoreException {
    Path artifact = workspace.resolve("artifact-" + version);
    UntrainedModels.write(
        artifact,
        MODEL,
        version,
        settings.widthMultiplier(),
        settings.inputShape(),
        UntrainedModels.numberedLabels(10),
        seed);
    URI uri = store.put(artifact, MODEL, version);
    return ModelDeployment.newBuilder()
        .setModelName(MODEL)
        .setVersion(version)
        .setArtifactUri(uri.toString())
        .setSha256(ModelArtifact.manifestSha256(Path.of(uri)))
        .setReason("bench reload")
        .setDeployedTime(Instant.now())
        .build();
  }

  /** Publishes the deployment with the trainer's own publisher, as the operator commands do. */
  private static void deploy(EmbeddedStack stack, ModelDeployment deployment) {
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

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Timed out after " + DEADLINE + " waiting for " + what);
      }
      Thread.sleep(20); // a benchmark's own pacing loop, not a test synchronisation
    }
  }

  private static Path createDirectories(Path directory) {
    try {
      return Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
