package io.glimpse.ops.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.glimpse.model.artifact.InputShape;
import io.glimpse.pipeline.GlimpsePipeline;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.schemas.avro.ModelServingStatus;
import io.glimpse.schemas.avro.Prediction;
import io.glimpse.schemas.topic.Topics;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload on a real broker and registry with real models in a real file store: a pipeline that
 * follows a model name swaps in each new deployment between batches while images flow, refuses
 * deployments it cannot serve (and keeps serving), and every instance, new or restarted, serves
 * what is deployed.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class HotReloadTest {
  private static final Logger LOG = LoggerFactory.getLogger(HotReloadTest.class);
  private static final String MODEL = PipelineFixture.MODEL_NAME;
  private static final InputShape GRAY_32 = new InputShape(1, 32, 32);
  private static final Duration DEADLINE = Duration.ofMinutes(2);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  @Test
  void aPromotionMidStreamSwitchesEachPartitionOnceAndLosesNothing() throws Exception {
    try (PipelineFixture fixture = PipelineFixture.start(tmp, "reload");
        Deployments deployments = deployments(fixture);
        ImageTraffic traffic = fixture.traffic();
        PredictionLog predictions = fixture.predictions(IsolationLevel.READ_COMMITTED)) {
      URI v1 = deployments.storeVersion(MODEL, "1", GRAY_32, 7);
      URI v2 = deployments.storeVersion(MODEL, "2", GRAY_32, 8);
      deployments.deploy(MODEL, "1", v1);
      try (GlimpsePipeline pipeline = GlimpsePipeline.start(following(fixture, deployments))) {
        awaitServing(pipeline, "1");
        traffic.startPaced("img", 900, 15, Duration.ofMillis(50));
        predictions.pollUntil(() -> predictions.total() >= 200, DEADLINE);
        long promoted = System.nanoTime();
        deployments.deploy(MODEL, "2", v2);
        awaitServing(pipeline, "2");
        LOG.info("Promote to serving: {} ms", (System.nanoTime() - promoted) / 1_000_000);
        traffic.awaitPaced(DEADLINE);
        var ids = traffic.acknowledged();
        assertThat(predictions.pollUntil(() -> predictions.coversAll(ids), DEADLINE))
            .as("missing %s", predictions.missing(ids))
            .isTrue();
        predictions.pollToEnd(DEADLINE);

        assertThat(predictions.duplicates()).as("exactly one prediction per image").isEmpty();
        assertThat(predictions.keys()).containsExactlyInAnyOrderElementsOf(ids);
        assertOneSwitchPerPartition(predictions.records());
        String metrics = PipelineHttp.get(pipeline.httpPort(), "/metrics").body();
        assertThat(metrics)
            .contains("glimpse_model_reload_total{outcome=\"loaded\"} 2.0")
            .contains("glimpse_model_info{model=\"" + MODEL + "\",version=\"2\"}")
            .doesNotContain("version=\"1\"}");
        assertThat(PipelineHttp.sumOf(metrics, "glimpse_dlq_records_total"))
            .as("dead letters")
            .isZero();
      }
    }
  }

  @Test
  void refusedDeploymentsKeepTheServedVersionAndAreReportedEverywhere() throws Exception {
    try (PipelineFixture fixture = PipelineFixture.start(tmp, "refuse");
        Deployments deployments = deployments(fixture);
        ImageTraffic traffic = fixture.traffic();
        PredictionLog predictions = fixture.predictions(IsolationLevel.READ_COMMITTED)) {
      URI v1 = deployments.storeVersion(MODEL, "1", GRAY_32, 7);
      URI corrupt = deployments.storeVersion(MODEL, "3", GRAY_32, 9);
      corruptParameters(corrupt);
      URI rgb = deployments.storeVersion(MODEL, "4", new InputShape(3, 32, 32), 10);
      URI v2 = deployments.storeVersion(MODEL, "2", GRAY_32, 8);
      Path outside = tmp.resolve("outside");
      copyTree(Path.of(v2), outside);
      deployments.deploy(MODEL, "1", v1);
      PipelineConfig config = following(fixture, deployments);
      try (GlimpsePipeline pipeline = GlimpsePipeline.start(config)) {
        awaitServing(pipeline, "1");

        deployments.deploy(MODEL, "2", v2.toString(), "0".repeat(64));
        assertRefused(pipeline, "2", "sha256");
        deployments.deploy(MODEL, "3", corrupt);
        assertRefused(pipeline, "3", "sha256");
        deployments.deploy(MODEL, "4", rgb);
        assertRefused(pipeline, "4", "3x32x32");
        deployments.deploy(MODEL, "5", outside.toUri().toString(), "0".repeat(64));
        assertRefused(pipeline, "5", "outside");
        deployments.deploy(MODEL, "6", v1.resolve("../6/").toString(), "0".repeat(64));
        assertRefused(pipeline, "6", "6");

        String metrics = PipelineHttp.get(pipeline.httpPort(), "/metrics").body();
        assertThat(metrics).contains("glimpse_model_reload_total{outcome=\"refused\"} 5.0");
        ModelServingStatus status = latestStatus(fixture, config);
        assertThat(status.getServedVersion()).isEqualTo("1");
        assertThat(status.getDesiredVersion()).isEqualTo("6");
        assertThat(status.getLastRefusal().getVersion()).isEqualTo("6");

        List<String> ids = traffic.publish("after-refusals", 0, 20);
        assertThat(predictions.pollUntil(() -> predictions.coversAll(ids), DEADLINE)).isTrue();
        assertThat(predictions.records())
            .allSatisfy(r -> assertThat(r.value().getModelVersion()).isEqualTo("1"));

        deployments.deploy(MODEL, "2", v2);
        awaitServing(pipeline, "2");
      }
    }
  }

  @Test
  void newAndRestartedInstancesServeWhatIsDeployedConvergeAndRollBack() throws Exception {
    try (PipelineFixture fixture = PipelineFixture.start(tmp, "converge");
        Deployments deployments = deployments(fixture)) {
      URI v1 = deployments.storeVersion(MODEL, "1", GRAY_32, 7);
      URI v2 = deployments.storeVersion(MODEL, "2", GRAY_32, 8);
      URI v3 = deployments.storeVersion(MODEL, "3", GRAY_32, 9);
      Map<String, String> settings = fixture.followingSettings(deployments);
      try (GlimpsePipeline waiting = GlimpsePipeline.start(PipelineConfig.of(settings))) {
        Awaitility.await("not ready, saying what it waits for")
            .atMost(DEADLINE)
            .ignoreExceptions()
            .until(() -> health(waiting).path("waitingFor").asText().contains("promote"));
        assertThat(PipelineHttp.get(waiting.httpPort(), "/health/ready").statusCode())
            .isEqualTo(503);
        deployments.deploy(MODEL, "1", v1);
        awaitServing(waiting, "1");
        deployments.deploy(MODEL, "2", v2);
        awaitServing(waiting, "2");
      }
      settings.put(PipelineConfig.INSTANCE_ID, "a");
      try (GlimpsePipeline a = GlimpsePipeline.start(PipelineConfig.of(settings))) {
        awaitServing(a, "2");
        settings.put(PipelineConfig.INSTANCE_ID, "b");
        try (GlimpsePipeline b = GlimpsePipeline.start(PipelineConfig.of(settings))) {
          awaitServing(b, "2");
          long promoted = System.nanoTime();
          deployments.deploy(MODEL, "3", v3);
          awaitServing(a, "3");
          awaitServing(b, "3");
          LOG.info(
              "Two instances converged on version 3 {} ms after the promote",
              (System.nanoTime() - promoted) / 1_000_000);

          deployments.deploy(MODEL, "2", v2); // what a rollback publishes: the previous version
          awaitServing(a, "2");
          awaitServing(b, "2");
        }
      }
    }
  }

  private Deployments deployments(PipelineFixture fixture) throws Exception {
    return new Deployments(
        tmp.resolve("models"), fixture.clientConfig(), Topics.MODEL_DEPLOYMENTS.name());
  }

  private static PipelineConfig following(PipelineFixture fixture, Deployments deployments) {
    return PipelineConfig.of(fixture.followingSettings(deployments));
  }

  private static JsonNode health(GlimpsePipeline pipeline) throws Exception {
    return PipelineHttp.health(pipeline.httpPort());
  }

  private static void awaitServing(GlimpsePipeline pipeline, String version) {
    PipelineHttp.awaitServing(pipeline.httpPort(), version, DEADLINE);
  }

  private static void assertRefused(GlimpsePipeline pipeline, String version, String reason)
      throws Exception {
    Awaitility.await("deployment " + version + " refused")
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> version.equals(health(pipeline).path("lastRefusal").path("version").asText()));
    JsonNode health = health(pipeline);
    assertThat(health.path("lastRefusal").path("reason").asText()).contains(reason);
    assertThat(health.path("modelVersion").asText()).as("still serving").isEqualTo("1");
    assertThat(health.path("desiredVersion").asText()).isEqualTo(version);
    assertThat(health.path("ready").asBoolean()).isTrue();
    assertThat(health.path("device").asText()).isEqualTo("cpu()");
    assertThat(health.path("servedAs").asText()).isEqualTo("folded TorchScript");
  }

  /** Per partition, the versions in offset order are some 1s, then only 2s: one switch. */
  private static void assertOneSwitchPerPartition(
      List<ConsumerRecord<String, Prediction>> records) {
    Map<Integer, List<String>> versions = new HashMap<>();
    for (ConsumerRecord<String, Prediction> r : records) {
      assertThat(r.value().getModelName()).isEqualTo(MODEL);
      versions
          .computeIfAbsent(r.partition(), p -> new ArrayList<>())
          .add(r.value().getModelVersion());
    }
    int switched = 0;
    for (var entry : versions.entrySet()) {
      List<String> sequence = entry.getValue();
      int first2 = sequence.indexOf("2");
      List<String> before = first2 < 0 ? sequence : sequence.subList(0, first2);
      List<String> after = first2 < 0 ? List.of() : sequence.subList(first2, sequence.size());
      assertThat(before).as("partition %s before the switch", entry.getKey()).containsOnly("1");
      assertThat(after).as("partition %s after the switch", entry.getKey()).containsOnly("2");
      if (first2 > 0) {
        switched++;
      }
    }
    assertThat(switched).as("partitions that switched from 1 to 2 mid-stream").isPositive();
  }

  private static ModelServingStatus latestStatus(PipelineFixture fixture, PipelineConfig config)
      throws Exception {
    String key =
        Topics.servingStatusKey(
            String.valueOf(config.streamsProperties().get("application.id")), config.instanceId());
    return TopicReads.latest(
        fixture.clientConfig(),
        Topics.MODEL_SERVING_STATUS,
        key,
        DEADLINE,
        s -> s.getLastRefusal() != null && "6".equals(s.getLastRefusal().getVersion()));
  }

  private static void corruptParameters(URI version) throws Exception {
    try (var files = Files.list(Path.of(version))) {
      Path params = files.filter(p -> p.toString().endsWith(".params")).findFirst().orElseThrow();
      params.toFile().setWritable(true);
      byte[] bytes = Files.readAllBytes(params);
      bytes[bytes.length / 2] ^= 0x55;
      Files.write(params, bytes);
    }
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (var paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }
}
