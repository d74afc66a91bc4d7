package io.glimpse.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.glimpse.pipeline.PipelineHealth;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.pipeline.http.PipelineHttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/helm/glimpse, linted and rendered offline (helm-java) for the value sets the README's
 * commands use, and the rendered objects checked against the code they deploy: the pipeline's
 * configuration keys, its HTTP server, its close timeout, the CLI's commands.
 */
class HelmChartTest {
  @Test
  void chartPassesStrictLintAndEveryExampleIsRendered() throws IOException {
    LintResult lint = HelmChart.lint();
    assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));

    Set<String> used = new HashSet<>();
    ChartValueSets.ALL.values().forEach(used::addAll);
    try (var examples = Files.list(HelmChart.dir().resolve("examples"))) {
      assertThat(examples.map(p -> p.getFileName().toString()))
          .as("every example values file is rendered by a test")
          .allMatch(used::contains);
    }
  }

  @Test
  void everyGlimpseVariableOfEveryContainerIsASettingTheCodeReads() throws IOException {
    Set<String> launcher = CodeFacts.launcherVariables();
    Set<String> kafkaKeys = CodeFacts.knownKafkaKeys();
    List<String> unread = new ArrayList<>();
    for (String set : ChartValueSets.ALL.keySet()) {
      for (Map<String, Object> workload : ChartValueSets.render(set).workloads()) {
        Map<String, String> env = PodEnvironment.of(Manifest.container(workload));
        Map<String, String> read = PipelineConfig.load(null, env, Map.of()).values();
        env.forEach(
            (name, value) -> {
              if (!name.startsWith("GLIMPSE_") || launcher.contains(name)) {
                return;
              }
              String key = settingKey(name);
              String where = set + ": " + Manifest.name(workload) + ": " + name + " -> " + key;
              if (!value.equals(read.get(key))) {
                unread.add(where + " (PipelineConfig knows no such key)");
              } else if (!key.startsWith(PipelineConfig.PREFIX) && !kafkaKeys.contains(key)) {
                unread.add(where + " (no Kafka Streams, client or serde setting)");
              }
            });
      }
    }
    assertThat(unread).as("GLIMPSE_* variables the code would ignore").isEmpty();
  }

  @Test
  void pipelineListensOnEveryInterfaceOfThePortItsProbesServiceAndAnnotationsUse() {
    for (String set : ChartValueSets.ALL.keySet()) {
      Manifest manifest = ChartValueSets.render(set);
      Map<String, Object> pipeline = manifest.pipeline();
      Map<String, Object> container = Manifest.container(pipeline);
      PipelineConfig config = ChartValueSets.pipelineConfig(manifest);

      config.checkModelSource();
      assertThat(config.httpHost()).as("%s: reachable by the kubelet", set).isEqualTo("0.0.0.0");
      Map<String, Object> port = DeployAssets.map(DeployAssets.list(container.get("ports")).get(0));
      assertThat(port)
          .containsEntry("name", "http")
          .containsEntry("containerPort", config.httpPort());
      for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
        assertThat(Manifest.at(container, probe, "httpGet", "port")).as(set).isEqualTo("http");
      }
      Map<String, Object> annotations =
          DeployAssets.map(Manifest.at(pipeline, "spec", "template", "metadata", "annotations"));
      assertThat(annotations)
          .containsEntry("prometheus.io/scrape", "true")
          .containsEntry("prometheus.io/port", String.valueOf(config.httpPort()))
          .containsEntry("prometheus.io/path", "/metrics");
      Map<String, Object> service = manifest.one("Service", "glimpse-pipeline");
      Map<String, Object> servicePort =
          DeployAssets.map(DeployAssets.list(Manifest.at(service, "spec", "ports")).get(0));
      assertThat(servicePort).containsEntry("targetPort", "http");
      assertThat(DeployAssets.map(Manifest.at(service, "spec", "selector")))
          .isEqualTo(Manifest.at(pipeline, "spec", "selector", "matchLabels"));
      assertThat(DeployAssets.map(manifest.one("PodDisruptionBudget", "glimpse-pipeline")))
          .extracting(pdb -> Manifest.at(pdb, "spec", "selector", "matchLabels"))
          .isEqualTo(Manifest.at(pipeline, "spec", "selector", "matchLabels"));
    }
  }

  /**
   * The probes' paths, asked of the pipeline's real HTTP server while it is live but not ready (no
   * model deployed yet): startup and liveness must pass, readiness must not, /metrics must scrape.
   * A misspelt path would land on /health (readiness) or nowhere.
   */
  @Test
  void probesAskThePipelinesHttpServerTheRightQuestions() throws Exception {
    Map<String, Object> container = Manifest.container(ChartValueSets.render("default").pipeline());
    PipelineHealth waiting =
        new PipelineHealth(
            true,
            false,
            "CREATED",
            "fashion",
            null,
            null,
            null,
            null,
            null,
            null,
            "a deployment",
            null,
            null);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (PipelineHttpServer server =
        new PipelineHttpServer("127.0.0.1", 0, registry, () -> waiting)) {
      server.start();
      HttpClient http = HttpClient.newHttpClient();
      Map<String, Integer> expected =
          Map.of("startupProbe", 200, "livenessProbe", 200, "readinessProbe", 503);
      for (Map.Entry<String, Integer> probe : expected.entrySet()) {
        String path = String.valueOf(Manifest.at(container, probe.getKey(), "httpGet", "path"));
        HttpResponse<String> response = get(http, server.port(), path);
        assertThat(response.statusCode())
            .as("%s %s", probe.getKey(), path)
            .isEqualTo(probe.getValue());
        assertThat(response.body()).contains("\"live\":true", "\"ready\":false");
      }
      HttpResponse<String> metrics = get(http, server.port(), "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    } finally {
      registry.close();
    }
  }

  @Test
  void gracePeriodOutlastsThePipelinesCloseTimeout() throws IOException {
    int closeTimeout = CodeFacts.pipelineCloseTimeoutSeconds();
    for (String set : ChartValueSets.ALL.keySet()) {
      assertThat(
              Manifest.podSpec(ChartValueSets.render(set).pipeline())
                  .get("terminationGracePeriodSeconds"))
          .as("%s: the kubelet must not kill a pipeline that is still closing", set)
          .isInstanceOf(Integer.class)
          .satisfies(grace -> assertThat((Integer) grace).isGreaterThan(closeTimeout));
    }
    assertThatThrownBy(
            () ->
                HelmChart.render(
                    List.of(), Map.of("pipeline.terminationGracePeriodSeconds", closeTimeout)))
        .as("values.schema.json refuses a grace period the close timeout does not fit in")
        .hasMessageContaining("/pipeline/terminationGracePeriodSeconds': minimum");
  }

  @Test
  void gpuVariantAsksForAGpuOnAGpuNodeAndServesOnIt() {
    Manifest manifest = ChartValueSets.render("gpu");
    Map<String, Object> pipeline = manifest.pipeline();
    Map<String, Object> container = Manifest.container(pipeline);
    Map<String, Object> pod = Manifest.podSpec(pipeline);

    assertThat(DeployAssets.map(Manifest.at(container, "resources", "limits")))
        .containsEntry("nvidia.com/gpu", 1);
    assertThat(DeployAssets.map(pod.get("nodeSelector")))
        .containsEntry("nvidia.com/gpu.present", "true");
    assertThat(String.valueOf(pod.get("tolerations"))).contains("nvidia.com/gpu");
    assertThat(String.valueOf(container.get("image"))).contains("glimpse-gpu");
    assertThat(ChartValueSets.pipelineConfig(manifest).modelDevice()).isEqualTo("gpu");
    int startupBudget =
        (Integer) Manifest.at(container, "startupProbe", "periodSeconds")
            * (Integer) Manifest.at(container, "startupProbe", "failureThreshold");
    assertThat(startupBudget)
        .as("seconds for CUDA start, model load, warm-up")
        .isGreaterThanOrEqualTo(600);

    Map<String, Object> cpu = Manifest.container(ChartValueSets.render("s3").pipeline());
    assertThat(String.valueOf(cpu.get("resources"))).doesNotContain("nvidia.com/gpu");
    assertThat(ChartValueSets.pipelineConfig(ChartValueSets.render("s3")).modelDevice())
        .isEqualTo("cpu");
  }

  @Test
  void secretsAreOnlyReferencedNeverRendered() {
    Manifest manifest = ChartValueSets.render("secrets");
    assertThat(manifest.ofKind("Secret")).isEmpty();
    assertThat(manifest.ofKind("ConfigMap")).isEmpty();
    for (Map<String, Object> workload : manifest.workloads()) {
      Map<String, Object> container = Manifest.container(workload);
      assertThat(PodEnvironment.fromSecrets(container))
          .containsExactlyInAnyOrder(
              "GLIMPSE_KAFKA_SASL_JAAS_CONFIG",
              "GLIMPSE_KAFKA_SSL_TRUSTSTORE_PASSWORD",
              "GLIMPSE_KAFKA_BASIC_AUTH_USER_INFO",
              "AWS_ACCESS_KEY_ID",
              "AWS_SECRET_ACCESS_KEY");
      Map<String, String> env = PodEnvironment.of(container);
      PipelineConfig config = PipelineConfig.load(null, env, Map.of());
      assertThat(config.streamsProperties())
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.jaas.config", "secret:glimpse-kafka/sasl.jaas.config")
          .containsEntry("basic.auth.user.info", "secret:glimpse-registry/user-info")
          .containsEntry("basic.auth.credentials.source", "USER_INFO");
      String truststore = String.valueOf(config.streamsProperties().get("ssl.truststore.location"));
      assertThat(String.valueOf(container.get("volumeMounts")))
          .contains("mountPath=" + Path.of(truststore).getParent());
      assertThat(String.valueOf(Manifest.podSpec(workload).get("volumes")))
          .contains("secretName=glimpse-kafka-tls");
      assertThat(String.valueOf(Manifest.podSpec(workload).get("imagePullSecrets")))
          .contains("glimpse-pull");
    }
    for (String secret :
        List.of(
            "sasl.jaas.config",
            "ssl.key.password",
            "ssl.keystore.key",
            "sasl.oauthbearer.assertion.private.key",
            "sasl.oauthbearer.client.credentials.client.secret",
            "basic.auth.user.info",
            "bearer.auth.credentials",
            "bearer.auth.token")) {
      assertThatThrownBy(() -> HelmChart.render(List.of(), Map.of(propertySet(secret), "x")))
          .as(secret)
          .hasMessageContaining("kafka.properties." + secret + " is a secret")
          .hasMessageContaining("give it by reference");
    }
    // Settings that only say where a secret comes from are not secrets.
    for (String notSecret :
        List.of(
            "basic.auth.credentials.source",
            "sasl.oauthbearer.token.endpoint.url",
            "key.serializer")) {
      Map<String, String> env =
          PodEnvironment.of(
              Manifest.container(
                  HelmChart.render(List.of(), Map.of(propertySet(notSecret), "x")).pipeline()));
      assertThat(env)
          .as(notSecret)
          .containsEntry(
              "GLIMPSE_KAFKA_" + notSecret.replace('.', '_').toUpperCase(Locale.ROOT), "x");
    }
  }

  /** The {@code --set} key of {@code kafka.properties.NAME}: Helm splits keys on unescaped dots. */
  private static String propertySet(String name) {
    return "kafka.properties." + name.replace(".", "\\.");
  }

  @Test
  void schemaRefusesWhatTheChartCannotDeploy() {
    assertThatThrownBy(() -> HelmChart.render(List.of(), Map.of("pipeline.kind", "DaemonSet")))
        .hasMessageContaining("/pipeline/kind");
    assertThatThrownBy(() -> HelmChart.render(List.of(), Map.of("pipeline.replica", 3)))
        .hasMessageContaining("replica");
    assertThatThrownBy(() -> HelmChart.render(List.of(), Map.of("store.type", "s3")))
        .hasMessageContaining("store.s3.uri");
    assertThatThrownBy(
            () -> HelmChart.render(List.of(), Map.of("pipeline.config.batch\\.max\\.size", 16)))
        .hasMessageContaining("only glimpse.* settings");
  }

  @Test
  void serviceMonitorScrapesTheMetricsPathOfTheHttpPort() {
    Manifest manifest =
        HelmChart.render(
            List.of(HelmChart.example("values-s3.yaml")),
            Map.of("pipeline.metrics.serviceMonitor.enabled", true));
    Map<String, Object> endpoint =
        DeployAssets.map(
            DeployAssets.list(
                    Manifest.at(
                        manifest.one("ServiceMonitor", "glimpse-pipeline"), "spec", "endpoints"))
                .get(0));
    assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/metrics");
    assertThat(ChartValueSets.render("s3").ofKind("ServiceMonitor")).isEmpty();
  }

  @Test
  void defaultPartitionsAreTheTopicScriptsDefault() throws IOException {
    String script = Files.readString(DeployAssets.dockerDir().resolve("create-topics.sh"));
    Matcher m =
        Pattern.compile("IMAGE_PARTITIONS=\"\\$\\{IMAGE_PARTITIONS:-(\\d+)}\"").matcher(script);
    assertThat(m.find()).as("IMAGE_PARTITIONS default in create-topics.sh").isTrue();
    assertThat(ChartValueSets.mergedValue("default", "kafka", "imagesPartitions"))
        .isEqualTo(Integer.valueOf(m.group(1)));
  }

  private static HttpResponse<String> get(HttpClient http, int port, String path)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GLIMPSE_KAFKA_X_Y -> x.y, GLIMPSE_X_Y -> glimpse.x.y: PipelineConfig's mapping. */
  private static String settingKey(String variable) {
    String key =
        variable.startsWith("GLIMPSE_KAFKA_")
            ? variable.substring("GLIMPSE_KAFKA_".length())
            : "GLIMPSE_" + variable.substring("GLIMPSE_".length());
    return key.toLowerCase(Locale.ROOT).replace('_', '.');
  }
}
