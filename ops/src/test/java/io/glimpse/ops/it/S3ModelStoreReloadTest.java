package io.glimpse.ops.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.ModelArtifact;
import io.glimpse.model.mobilenet.UntrainedModels;
import io.glimpse.model.store.LocalS3;
import io.glimpse.model.store.ModelStore;
import io.glimpse.model.store.S3ModelStore;
import io.glimpse.ops.cli.GlimpseCli;
import io.glimpse.ops.train.QuickTraining;
import io.glimpse.pipeline.GlimpsePipeline;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.schemas.avro.ModelServingStatus;
import io.glimpse.schemas.topic.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.IsolationLevel;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pipelines and the trainer on an {@code s3://} model store, a real S3 implementation (S3Proxy) in
 * the test JVM, with a real broker and registry: an S3 outage during a reload keeps the served
 * version serving and reports why, and the reload completes once S3 is back; the trainer and two
 * pipelines share one bucket.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class S3ModelStoreReloadTest {
  private static final String MODEL = PipelineFixture.MODEL_NAME;
  private static final String BUCKET = "glimpse-models";
  private static final String STORE = "s3://" + BUCKET + "/it";
  private static final Duration DEADLINE = Duration.ofMinutes(1);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  @Test
  void anS3OutageDuringAReloadKeepsTheServedVersionAndTheReloadCompletesWhenS3IsBack()
      throws Exception {
    try (LocalS3 s3 = LocalS3.open(BUCKET);
        PipelineFixture fixture = PipelineFixture.start(tmp, "s3-outage");
        Deployments deployments =
            new Deployments(
                tmp.resolve("deployments"),
                fixture.clientConfig(),
                Topics.MODEL_DEPLOYMENTS.name());
        ModelStore trainerStore =
            S3ModelStore.open(
                URI.create(STORE), s3.settings(tmp.resolve("trainer-cache")).build());
        ImageTraffic traffic = fixture.traffic();
        PredictionLog predictions = fixture.predictions(IsolationLevel.READ_COMMITTED)) {
      Path a1 = artifact("1", 7);
      Path a2 = artifact("2", 8);
      URI v1 = trainerStore.put(a1, MODEL, "1");
      URI v2 = trainerStore.put(a2, MODEL, "2");
      deployments.deploy(MODEL, "1", v1.toString(), ModelArtifact.manifestSha256(a1));
      PipelineConfig config = PipelineConfig.of(following(fixture, s3, "a"));
      try (GlimpsePipeline pipeline = GlimpsePipeline.start(config)) {
        awaitServing(pipeline, "1");

        s3.stop();
        deployments.deploy(MODEL, "2", v2.toString(), ModelArtifact.manifestSha256(a2));
        Awaitility.await("the deployment of version 2 waits for S3")
            .atMost(DEADLINE)
            .pollInterval(Duration.ofMillis(100))
            .ignoreExceptions()
            .until(() -> "2".equals(health(pipeline).path("lastRefusal").path("version").asText()));
        JsonNode health = health(pipeline);
        assertThat(health.path("lastRefusal").path("reason").asText())
            .contains("unavailable", "still serving version 1");
        assertThat(health.path("modelVersion").asText()).as("still serving").isEqualTo("1");
        assertThat(health.path("desiredVersion").asText()).isEqualTo("2");
        assertThat(health.path("ready").asBoolean()).isTrue();
        ModelServingStatus status =
            TopicReads.latest(
                fixture.clientConfig(),
                Topics.MODEL_SERVING_STATUS,
                Topics.servingStatusKey(fixture.applicationId(), config.instanceId()),
                DEADLINE,
                s -> s.getLastRefusal() != null && "2".equals(s.getLastRefusal().getVersion()));
        assertThat(status.getServedVersion()).isEqualTo("1");
        assertThat(status.getLastRefusal().getReason()).contains("unavailable");
        List<String> during = traffic.publish("during-outage", 0, 20);
        assertThat(predictions.pollUntil(() -> predictions.coversAll(during), DEADLINE)).isTrue();
        assertThat(predictions.records())
            .allSatisfy(r -> assertThat(r.value().getModelVersion()).isEqualTo("1"));

        s3.start();
        awaitServing(pipeline, "2");
        assertThat(health(pipeline).path("lastRefusal").isNull())
            .as("the wait for S3 is no refusal once version 2 serves: %s", health(pipeline))
            .isTrue();
        List<String> after = traffic.publish("after-outage", 0, 20);
        assertThat(predictions.pollUntil(() -> predictions.coversAll(after), DEADLINE)).isTrue();
        assertThat(predictions.records())
            .filteredOn(r -> after.contains(r.key()))
            .allSatisfy(r -> assertThat(r.value().getModelVersion()).isEqualTo("2"));
        String metrics = PipelineHttp.get(pipeline.httpPort(), "/metrics").body();
        assertThat(
                PipelineHttp.sample(metrics, "glimpse_model_reload_total{outcome=\"deferred\"}")
                    .orElse(0))
            .isPositive();
      }
    }
  }

  @Test
  void theTrainerAndTwoPipelinesShareOneBucket() throws Exception {
    try (LocalS3 s3 = LocalS3.open(BUCKET);
        PipelineFixture fixture = PipelineFixture.start(tmp, "s3-shared")) {
      String model = "shapes-s3";
      StringWriter out = new StringWriter();
      int exit =
          GlimpseCli.newCommandLine()
              .setOut(new PrintWriter(out))
              .setErr(new PrintWriter(out))
              .execute(
                  QuickTraining.syntheticAndPromoted(
                      model,
                      STORE,
                      tmp.resolve("run"),
                      String.valueOf(fixture.clientConfig().get("bootstrap.servers")),
                      String.valueOf(fixture.clientConfig().get("schema.registry.url")),
                      "--s3-endpoint",
                      s3.endpoint().toString(),
                      "--s3-path-style"));
      assertThat(exit).as(out.toString()).isZero();
      assertThat(out.toString()).contains(STORE + "/" + model + "/1/");
      s3.client().headObject(b -> b.bucket(BUCKET).key("it/" + model + "/1/manifest.json"));
      Path registered = artifact("5", 9);
      assertThat(models(fixture, s3, out, "register", registered.toString()))
          .as("%s", out)
          .isZero();
      assertThat(out.toString()).contains("registered " + MODEL + " v5");
      s3.client().headObject(b -> b.bucket(BUCKET).key("it/" + MODEL + "/5/manifest.json"));
      assertThat(models(fixture, s3, out, "register", registered.toString()))
          .as("%s", out)
          .isZero();
      assertThat(out.toString()).contains(MODEL + " v5 was registered already with this artifact");
      assertThat(tmp.resolve("cli-cache"))
          .as("fetched back through the cache")
          .isNotEmptyDirectory();

      Map<String, String> a = following(fixture, s3, "a");
      a.put(PipelineConfig.MODEL_NAME, model);
      Map<String, String> b = following(fixture, s3, "b");
      b.put(PipelineConfig.MODEL_NAME, model);
      try (GlimpsePipeline first = GlimpsePipeline.start(PipelineConfig.of(a));
          GlimpsePipeline second = GlimpsePipeline.start(PipelineConfig.of(b))) {
        awaitServing(first, "1");
        awaitServing(second, "1");
        assertThat(health(first).path("modelName").asText()).isEqualTo(model);
        assertThat(health(second).path("modelName").asText()).isEqualTo(model);
      }
      assertThat(tmp.resolve("cache-a")).isNotEmptyDirectory();
      assertThat(tmp.resolve("cache-b")).isNotEmptyDirectory();
    }
  }

  /** Runs {@code glimpse models <args>} against the S3 store and this stack, output into out. */
  private int models(PipelineFixture fixture, LocalS3 s3, StringWriter out, String... args) {
    List<String> line = new java.util.ArrayList<>(List.of("models"));
    line.addAll(List.of(args));
    line.addAll(
        List.of(
            "--store",
            STORE,
            "--s3-endpoint",
            s3.endpoint().toString(),
            "--s3-path-style",
            "--model-cache-dir",
            tmp.resolve("cli-cache").toString(),
            "--bootstrap-servers",
            String.valueOf(fixture.clientConfig().get("bootstrap.servers")),
            "--schema-registry-url",
            String.valueOf(fixture.clientConfig().get("schema.registry.url"))));
    out.getBuffer().setLength(0);
    return GlimpseCli.newCommandLine()
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(out, true))
        .execute(line.toArray(String[]::new));
  }

  /**
   * Settings of a pipeline instance {@code instance} following {@link #MODEL} in the S3 store, with
   * a cache of its own and a short outage backoff.
   */
  private Map<String, String> following(PipelineFixture fixture, LocalS3 s3, String instance) {
    Map<String, String> settings = fixture.pipelineSettings();
    settings.remove(PipelineConfig.MODEL_PATH);
    settings.put(PipelineConfig.MODEL_NAME, MODEL);
    settings.put(PipelineConfig.MODEL_STORE, STORE);
    settings.put(PipelineConfig.S3_ENDPOINT, s3.endpoint().toString());
    settings.put(PipelineConfig.S3_PATH_STYLE, "true");
    settings.put(PipelineConfig.MODEL_CACHE_DIR, tmp.resolve("cache-" + instance).toString());
    settings.put(PipelineConfig.OUTAGE_RETRY_BACKOFF_MS, "200");
    settings.put(PipelineConfig.OUTAGE_RETRY_BACKOFF_MAX_MS, "1000");
    settings.put(PipelineConfig.INSTANCE_ID, instance);
    settings.put(PipelineConfig.BATCH_MAX_SIZE, "8");
    return settings;
  }

  private Path artifact(String version, int seed) throws Exception {
    Path artifact = tmp.resolve("artifacts").resolve(version);
    UntrainedModels.write(
        artifact,
        MODEL,
        version,
        0.25f,
        new InputShape(1, 32, 32),
        UntrainedModels.numberedLabels(10),
        seed);
    return artifact;
  }

  private static JsonNode health(GlimpsePipeline pipeline) throws Exception {
    return PipelineHttp.health(pipeline.httpPort());
  }

  private static void awaitServing(GlimpsePipeline pipeline, String version) {
    PipelineHttp.awaitServing(pipeline.httpPort(), version, DEADLINE);
  }
}
