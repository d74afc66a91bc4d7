package io.glimpse.ops.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.glimpse.model.artifact.InputShape;
import io.glimpse.ops.RequiredPackage;
import io.glimpse.ops.deploy.DeployAssets;
import io.glimpse.ops.it.PrometheusApi.Series;
import io.glimpse.pipeline.GlimpsePipeline;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.schemas.avro.Prediction;
import io.glimpse.schemas.topic.Topics;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The Grafana dashboard and the alerting rules of docker-compose.yml against a real Prometheus
 * (Debian's): it scrapes two pipelines that classify a steady stream of images, dead-letter broken
 * ones, join labels of every outcome and swap model version 1 for 2 (and refuse a bad 3). Every
 * panel's PromQL, run as Grafana runs it, returns numbers with the labels its legend names (both
 * instances for the per-instance panels); every alerting rule loads (from where compose's
 * configuration finds it) and evaluates, and the refused deployment, the dead letters, the drift
 * and a stopped pipeline raise their alerts.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PrometheusDashboardTest {
  private static final String MODEL = PipelineFixture.MODEL_NAME;
  private static final InputShape GRAY_32 = new InputShape(1, 32, 32);
  private static final Duration DEADLINE = Duration.ofMinutes(1);

  /** What Grafana's {@code $__rate_interval} would be at a 1 s scrape interval, with margin. */
  private static final Duration RATE_INTERVAL = Duration.ofSeconds(10);

  /** The range queries' resolution: the scrape interval. */
  private static final Duration STEP = Duration.ofSeconds(1);

  private static final Duration JOIN_WINDOW = Duration.ofMinutes(1);

  /** The labelled images of every round go to the partition of this id. */
  private static final String LABELLED_PARTITION_OF = "labelled";

  /** Panels whose values may all be 0 in this scenario (they must still return numbers). */
  private static final Map<String, String> MAY_BE_ZERO =
      Map.of(
          "Consumer lag (records)",
          "a pipeline that keeps up lags 0 records behind",
          "Drift PSI per version",
          "an untrained version may give every random image the same class and confidence bin: its"
              + " windows equal its reference, PSI 0");

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  private PipelineFixture fixture;
  private ImageTraffic traffic;
  private LabelTraffic labels;
  private PredictionLog predictions;
  private PrometheusApi prometheus;

  @Test
  void everyPanelReturnsDataAndEveryAlertRuleLoads() throws Exception {
    RequiredPackage.assumeInstalled(PrometheusProcess.installed(), "prometheus");
    Path composeConfig = TestPrometheusConfig.composeDir().resolve("prometheus.yml");
    Promtool.run("check", "config", composeConfig.toString());
    assertThat(TestPrometheusConfig.composeVolumes())
        .as("compose mounts the rule files beside prometheus.yml")
        .contains(
            "./ops/docker/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
            "./ops/docker/prometheus/rules:/etc/prometheus/rules:ro");
    List<DashboardTarget> targets = DashboardTarget.of(DeployAssets.dashboard());
    try (PipelineFixture started = PipelineFixture.start(tmp, "prometheus");
        Deployments deployments =
            new Deployments(
                tmp.resolve("models"), started.clientConfig(), Topics.MODEL_DEPLOYMENTS.name());
        ImageTraffic images = started.traffic();
        LabelTraffic labelTraffic = new LabelTraffic(started.clientConfig());
        PredictionLog log = started.predictions(IsolationLevel.READ_COMMITTED);
        Pipelines pipelines = new Pipelines()) {
      fixture = started;
      traffic = images;
      labels = labelTraffic;
      predictions = log;
      URI v1 = deployments.storeVersion(MODEL, "1", GRAY_32, 7);
      URI v2 = deployments.storeVersion(MODEL, "2", GRAY_32, 8);
      // Registered with their label sets, so that a label outside them counts as unknown.
      labels.register(Path.of(v1));
      labels.register(Path.of(v2));
      deployments.deploy(MODEL, "1", v1);
      GlimpsePipeline a = pipelines.start(settings(deployments, "a"));
      GlimpsePipeline b = pipelines.start(settings(deployments, "b"));
      PipelineHttp.awaitServing(a.httpPort(), "1", DEADLINE);
      PipelineHttp.awaitServing(b.httpPort(), "1", DEADLINE);
      String instanceA = "127.0.0.1:" + a.httpPort();
      String instanceB = "127.0.0.1:" + b.httpPort();
      TestPrometheusConfig.write(tmp.resolve("prometheus"), List.of(instanceA, instanceB));
      Instant scenarioStart = Instant.now();
      try (PrometheusProcess server =
          PrometheusProcess.start(tmp.resolve("prometheus"), DEADLINE)) {
        prometheus = server.api();
        classifyLabelAndSwapVersions(deployments, v2, a, b);
        Instant scenarioEnd = awaitScrapesAfter(Instant.now());

        for (DashboardTarget target : targets) {
          assertPanel(target, scenarioStart, scenarioEnd, Set.of(instanceA, instanceB));
        }
        assertPanelSpecifics(scenarioStart, scenarioEnd);
        assertEveryRuleLoaded(server);
        awaitAlert("GlimpseDeploymentRefused", "instance", instanceA);
        awaitAlert("GlimpseDeploymentRefused", "instance", instanceB);
        awaitAlert("GlimpseDeadLettersHigh", "severity", "warning"); // either instance
        awaitAlert("GlimpseDriftDetected", "model", MODEL);

        pipelines.stop(b);
        awaitAlert("GlimpsePipelineDown", "instance", instanceB);
      }
    }
  }

  /**
   * A steady stream of images to both instances; two rounds of labels and broken records on version
   * 1, whose predictions every label contradicts; version 2 deployed and served, a version 3 with a
   * wrong sha256 refused; two rounds on version 2, with a right label each; drift windows of both
   * versions.
   */
  private void classifyLabelAndSwapVersions(
      Deployments deployments, URI v2, GlimpsePipeline a, GlimpsePipeline b) throws Exception {
    traffic.startPaced("steady", 3_000, 2, Duration.ofMillis(200));
    awaitQuery("both instances classify", "glimpse_images_classified_total > 0", 2);
    labelRound(1, "1", 1, false);
    labelRound(2, "1", 2, false);
    deployments.deploy(MODEL, "2", v2);
    PipelineHttp.awaitServing(a.httpPort(), "2", DEADLINE);
    PipelineHttp.awaitServing(b.httpPort(), "2", DEADLINE);
    deployments.deploy(MODEL, "3", v2.toString(), "0".repeat(64));
    awaitRefused(a, "3");
    awaitRefused(b, "3");
    labelRound(3, "2", 1, true);
    labelRound(4, "2", 2, true);
    awaitQuery("drift windows of both versions", "count by (version) (glimpse_drift_psi)", 2);
  }

  /** A pipeline instance that follows the deployments, with the quality application on. */
  private Map<String, String> settings(Deployments deployments, String instanceId) {
    Map<String, String> settings = fixture.followingSettings(deployments);
    settings.put(PipelineConfig.INSTANCE_ID, instanceId);
    settings.put("state.dir", tmp.resolve("state-" + instanceId).toString());
    settings.put("num.stream.threads", "1");
    settings.put(PipelineConfig.QUALITY_ENABLED, "true");
    settings.put(PipelineConfig.QUALITY_JOIN_WINDOW_MS, Long.toString(JOIN_WINDOW.toMillis()));
    settings.put(PipelineConfig.QUALITY_JOIN_GRACE_MS, "0");
    settings.put(PipelineConfig.DRIFT_WINDOW_IMAGES, "10");
    // So small that nearly any window of random images crosses it: drift alerts get counted.
    settings.put(PipelineConfig.DRIFT_PSI_THRESHOLD, "0.000001");
    return settings;
  }

  /**
   * Publishes four images and three broken records, waits for the images' predictions by {@code
   * version}, then labels them with one label of each outcome: two joined (one right if {@code
   * oneRight}, else both wrong), a duplicate, one unknown to the version, one for no image
   * (unmatched), a late one and an unreadable one. Waits until Prometheus has scraped the counts,
   * so that the next round's increase lands in a later scrape and every rate is positive somewhere.
   */
  private void labelRound(int round, String version, int roundOfVersion, boolean oneRight)
      throws Exception {
    // All in one partition: one instance counts them all, and its counters, which appear with
    // their first increment (invisible to rate()), go on counting in the later rounds.
    List<String> ids = labels.idsBeside(LABELLED_PARTITION_OF, "round" + round, 4);
    traffic.publish(ids.stream().map(ImageTraffic::image).toList());
    publishBrokenRecords("round" + round);
    Map<String, Prediction> predicted = awaitPredictions(ids);
    assertThat(predicted.values())
        .allSatisfy(p -> assertThat(p.getModelVersion()).isEqualTo(version));
    long now = System.currentTimeMillis();
    String top1 = top1(predicted, ids.get(0));
    labels.send(ids.get(0), oneRight ? top1 : otherClass(top1), now);
    labels.send(ids.get(1), otherClass(top1(predicted, ids.get(1))), now);
    labels.send(ids.get(0), "class-0", now); // a duplicate
    labels.send(ids.get(3), "not-a-class", now); // unknown to the version
    labels.send(labels.idBeside(ids.get(2)), "class-2", now); // meets no image
    // Beyond the join window: late. It moves its partition's stream time past the window of the
    // label that met no image, which then counts as unmatched; later rounds move it further.
    labels.send(ids.get(2), "class-2", now + Duration.ofMinutes(2L * round).toMillis());
    labels.sendUnreadable(ids.get(3));

    String v = "{version=\"" + version + "\"}";
    Awaitility.await("round " + round + "'s labels counted and scraped")
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () ->
                prometheus.sum("glimpse_labels_joined_total" + v) == 2 * roundOfVersion
                    && prometheus.sum("glimpse_labels_correct_total" + v)
                        == (oneRight ? roundOfVersion : 0)
                    && prometheus.sum("glimpse_labels_unknown_total" + v) == roundOfVersion
                    && prometheus.sum("glimpse_labels_late_total" + v) == roundOfVersion
                    && prometheus.sum("glimpse_labels_duplicate_total") == round
                    && prometheus.sum("glimpse_labels_unmatched_total") == round
                    && prometheus.sum("glimpse_labels_invalid_total") == round
                    && prometheus.sum("glimpse_dlq_records_total") == 3 * round);
  }

  private static String top1(Map<String, Prediction> predicted, String id) {
    return predicted.get(id).getTopK().get(0).getLabel();
  }

  /** A class of the ten that is not {@code label}. */
  private static String otherClass(String label) {
    return label.equals("class-0") ? "class-1" : "class-0";
  }

  /** An undecodable PNG, an unsupported content type and a value that is not Avro. */
  private void publishBrokenRecords(String prefix) {
    byte[] garbage = new byte[64];
    new Random(prefix.hashCode()).nextBytes(garbage);
    traffic.publish(
        List.of(
            ImageTraffic.event(prefix + "-bad-png", "image/png", garbage).build(),
            ImageTraffic.event(prefix + "-text", "text/plain", garbage).build()));
    traffic.publishRaw((prefix + "-raw").getBytes(StandardCharsets.UTF_8), garbage);
  }

  private Map<String, Prediction> awaitPredictions(List<String> ids) {
    assertThat(predictions.pollUntil(() -> predictions.coversAll(ids), DEADLINE))
        .as("predictions of %s", ids)
        .isTrue();
    Map<String, Prediction> byId = new HashMap<>();
    for (ConsumerRecord<String, Prediction> record : predictions.records()) {
      if (ids.contains(record.key())) {
        byId.put(record.key(), record.value());
      }
    }
    return byId;
  }

  private static void awaitRefused(GlimpsePipeline pipeline, String version) {
    Awaitility.await("deployment " + version + " refused")
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () ->
                version.equals(
                    PipelineHttp.health(pipeline.httpPort())
                        .path("lastRefusal")
                        .path("version")
                        .asText()));
  }

  /**
   * Waits until Prometheus scraped every pipeline after {@code time} (a range query ending then
   * holds what the pipelines counted until then), and returns the time it did.
   */
  private Instant awaitScrapesAfter(Instant time) {
    String promql = "min(timestamp(up{job=\"" + TestPrometheusConfig.PIPELINE_JOB + "\"}))";
    Awaitility.await("a scrape of every pipeline after " + time)
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(() -> prometheus.sum(promql) * 1000 > time.toEpochMilli());
    return Instant.now();
  }

  /** Waits until the instant query {@code promql} returns {@code series} series. */
  private void awaitQuery(String what, String promql, int series) {
    Awaitility.await(what + ": " + promql)
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(() -> prometheus.query(promql).size() == series);
  }

  /**
   * The target, run as Grafana runs it over the scenario, returns series that carry every label its
   * legend names and numbers (positive ones, unless {@link #MAY_BE_ZERO} says why not); a
   * per-instance target has a series per pipeline, each with positive numbers.
   */
  private void assertPanel(
      DashboardTarget target, Instant start, Instant end, Set<String> instances)
      throws IOException {
    String promql = target.promql(RATE_INTERVAL);
    List<Series> result =
        target.instant()
            ? prometheus.query(promql)
            : prometheus.queryRange(promql, start, end, STEP);
    assertThat(result).as("%s: %s", target, promql).isNotEmpty();
    for (Series series : result) {
      assertThat(series.labels().keySet())
          .as("%s: the labels of %s", target, series)
          .containsAll(target.legendLabels());
      assertThat(series.hasNumber()).as("%s: numbers in %s", target, series).isTrue();
    }
    boolean perInstance = target.legendLabels().contains("instance");
    if (perInstance) {
      assertThat(result.stream().map(s -> s.labels().get("instance")))
          .as("%s: one series per pipeline", target)
          .containsExactlyInAnyOrderElementsOf(instances);
    }
    if (MAY_BE_ZERO.containsKey(target.panel())) {
      return;
    }
    if (perInstance) {
      assertThat(result).as("%s: above 0 on every pipeline", target).allMatch(Series::hasPositive);
    } else {
      assertThat(result).as("%s: a value above 0", target).anyMatch(Series::hasPositive);
    }
  }

  /** What the scenario produced shows in the panels that split by a label of its own. */
  private void assertPanelSpecifics(Instant start, Instant end) throws IOException {
    assertThat(positive(panel("Dead letters by reason"), "reason", start, end))
        .containsExactlyInAnyOrder(
            "UNDECODABLE_IMAGE", "UNSUPPORTED_CONTENT_TYPE", "DESERIALIZATION_FAILED");
    assertThat(positive(panel("Model reloads"), "outcome", start, end))
        .contains("loaded", "refused");
    Map<String, List<Double>> accuracy = new TreeMap<>();
    for (Series s : prometheus.queryRange(panel("Online accuracy per version"), start, end, STEP)) {
      accuracy.put(s.labels().get("version"), s.values().stream().filter(x -> !x.isNaN()).toList());
    }
    assertThat(accuracy).as("online accuracy").containsOnlyKeys("1", "2");
    assertThat(accuracy.get("1")).as("version 1, every label wrong").isNotEmpty().containsOnly(0.0);
    assertThat(accuracy.get("2")).as("version 2, a right label a round").anyMatch(x -> x > 0);
    assertThat(
            prometheus.queryRange(panel("Drift PSI per version"), start, end, STEP).stream()
                .filter(Series::hasNumber)
                .map(s -> s.labels().get("version") + " " + s.labels().get("signal")))
        .containsExactlyInAnyOrder("1 classes", "1 confidence", "2 classes", "2 confidence");
    List<Series> table = prometheus.query(panel("Serving model version per replica"));
    assertThat(table)
        .extracting(s -> s.labels().get("instance_id") + " serves " + s.labels().get("version"))
        .containsExactlyInAnyOrder("a serves 2", "b serves 2");
    assertThat(table)
        .allSatisfy(
            s ->
                assertThat(s.labels())
                    .containsEntry("model", MODEL)
                    .containsEntry("application_id", fixture.applicationId()));
  }

  /** The label's values among the series that have a positive value somewhere. */
  private Set<String> positive(String promql, String label, Instant start, Instant end)
      throws IOException {
    return prometheus.queryRange(promql, start, end, STEP).stream()
        .filter(Series::hasPositive)
        .map(s -> s.labels().get(label))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The PromQL of the dashboard panel titled {@code title}, its only or first target. */
  private static String panel(String title) throws IOException {
    return DashboardTarget.of(DeployAssets.dashboard()).stream()
        .filter(t -> t.panel().equals(title))
        .findFirst()
        .orElseThrow(() -> new AssertionError("No panel titled " + title))
        .promql(RATE_INTERVAL);
  }

  /**
   * promtool accepts the rule files, and Prometheus loaded every alert they define and evaluated
   * each without error.
   */
  private void assertEveryRuleLoaded(PrometheusProcess server) throws IOException {
    Set<String> defined = new TreeSet<>();
    for (Path file : TestPrometheusConfig.ruleFiles()) {
      Promtool.run("check", "rules", file.toString());
      defined.addAll(alertNames(file));
    }
    assertThat(defined).as("alerts in %s", TestPrometheusConfig.ruleFiles()).isNotEmpty();
    Awaitility.await("every rule evaluated")
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Map<String, String> health = new HashMap<>();
              for (JsonNode group : prometheus.ruleGroups()) {
                for (JsonNode rule : group.path("rules")) {
                  health.put(
                      rule.path("name").asText(),
                      rule.path("health").asText() + " " + rule.path("lastError").asText(""));
                }
              }
              assertThat(health).as(server.logTail()).containsOnlyKeys(defined);
              assertThat(health).allSatisfy((name, h) -> assertThat(h).as(name).isEqualTo("ok "));
            });
  }

  @SuppressWarnings("unchecked")
  private static Set<String> alertNames(Path rulesFile) throws IOException {
    Map<String, Object> rules;
    try (Reader in = Files.newBufferedReader(rulesFile)) {
      rules = new Yaml().load(in);
    }
    Set<String> names = new TreeSet<>();
    for (Object group : (List<Object>) rules.get("groups")) {
      for (Object rule : (List<Object>) ((Map<String, Object>) group).get("rules")) {
        names.add(String.valueOf(((Map<String, Object>) rule).get("alert")));
      }
    }
    return names;
  }

  /** Waits until alert {@code name} is pending or firing with {@code label} {@code value}. */
  private void awaitAlert(String name, String label, String value) {
    Awaitility.await("alert " + name + " with " + label + " " + value)
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () -> {
              for (JsonNode alert : prometheus.alerts()) {
                JsonNode labels = alert.path("labels");
                if (name.equals(labels.path("alertname").asText())
                    && value.equals(labels.path(label).asText())) {
                  return true;
                }
              }
              return false;
            });
  }

  /**
   * The test's pipelines, stopped before the broker they use (a pipeline closing against a stopped
   * broker waits for its timeouts).
   */
  private static final class Pipelines implements AutoCloseable {
    private final List<GlimpsePipeline> running = new ArrayList<>();

    GlimpsePipeline start(Map<String, String> settings) throws Exception {
      GlimpsePipeline pipeline = GlimpsePipeline.start(PipelineConfig.of(settings));
      running.add(pipeline);
      return pipeline;
    }

    void stop(GlimpsePipeline pipeline) {
      running.remove(pipeline);
      pipeline.close();
    }

    @Override
    public void close() {
      running.forEach(GlimpsePipeline::close);
    }
  }
}
