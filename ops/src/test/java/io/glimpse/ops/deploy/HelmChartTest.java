package io.glimpse.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.glimpse.ops.cli.GlimpseCli;
import io.glimpse.ops.cli.connection.ConnectionSettings;
import io.glimpse.pipeline.GlimpsePipeline;
import io.glimpse.pipeline.PipelineHealth;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.pipeline.http.PipelineHttpServer;
import io.glimpse.schemas.serde.AvroSerdeConfig;
import io.glimpse.schemas.topic.Topics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * deploy/helm/glimpse, linted and rendered offline (helm-java) for the value sets the README's
 * commands use, and the rendered objects checked against the code they deploy: the pipeline's
 * configuration keys, its HTTP server, its close timeout, the CLI's commands.
 */
class HelmChartTest {
  /** Each value set the README installs with: its name and its example files, in order. */
  private static final Map<String, List<String>> VALUE_SETS = valueSets();

  private static Map<String, List<String>> valueSets() {
    Map<String, List<String>> sets = new LinkedHashMap<>();
    sets.put("default", List.of());
    sets.put("s3", List.of("values-s3.yaml"));
    sets.put("minio", List.of("values-s3.yaml", "values-minio.yaml"));
    sets.put("volume", List.of("values-volume.yaml"));
    sets.put("statefulset", List.of("values-s3.yaml", "values-statefulset.yaml"));
    sets.put("keda", List.of("values-s3.yaml", "values-keda.yaml"));
    sets.put("gpu", List.of("values-s3.yaml", "values-gpu.yaml"));
    sets.put("trainer-cronjob", List.of("values-s3.yaml", "values-trainer-cronjob.yaml"));
    sets.put("trainer-job", List.of("values-volume.yaml", "values-trainer-job.yaml"));
    sets.put("secrets", List.of("values-s3.yaml", "values-secrets.yaml", "values-keda.yaml"));
    sets.put("promote", List.of("values-s3.yaml", "values-promote.yaml"));
    sets.put("rollback", List.of("values-s3.yaml", "values-rollback.yaml"));
    return sets;
  }

  private static Manifest render(String valueSet) {
    return HelmChart.render(VALUE_SETS.get(valueSet).toArray(String[]::new));
  }

  @Test
  void chartPassesStrictLintAndEveryExampleIsRendered() throws IOException {
    LintResult lint = HelmChart.lint();
    assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));

    Set<String> used = new HashSet<>();
    VALUE_SETS.values().forEach(used::addAll);
    try (var examples = Files.list(HelmChart.dir().resolve("examples"))) {
      assertThat(examples.map(p -> p.getFileName().toString()))
          .as("every example values file is rendered by a test")
          .allMatch(used::contains);
    }
  }

  @Test
  void everyGlimpseVariableOfEveryContainerIsASettingTheCodeReads() throws IOException {
    Set<String> launcher = launcherVariables();
    Set<String> kafkaKeys = knownKafkaKeys();
    List<String> unread = new ArrayList<>();
    for (String set : VALUE_SETS.keySet()) {
      for (Map<String, Object> workload : render(set).workloads()) {
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
    for (String set : VALUE_SETS.keySet()) {
      Manifest manifest = render(set);
      Map<String, Object> pipeline = manifest.pipeline();
      Map<String, Object> container = Manifest.container(pipeline);
      PipelineConfig config = pipelineConfig(manifest);

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
    Map<String, Object> container = Manifest.container(render("default").pipeline());
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
    int closeTimeout = pipelineCloseTimeoutSeconds();
    for (String set : VALUE_SETS.keySet()) {
      assertThat(Manifest.podSpec(render(set).pipeline()).get("terminationGracePeriodSeconds"))
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
  void statefulSetJoinsWithStaticMembershipUnderItsPodNames() {
    Manifest manifest = render("statefulset");
    Map<String, Object> pipeline = manifest.pipeline();
    PipelineConfig config = pipelineConfig(manifest);

    assertThat(pipeline.get("kind")).isEqualTo("StatefulSet");
    assertThat(
            manifest.one("Service", String.valueOf(Manifest.at(pipeline, "spec", "serviceName"))))
        .extracting(s -> Manifest.at(s, "spec", "clusterIP"))
        .isEqualTo("None");
    assertThat(config.streamsProperties())
        .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, PodEnvironment.POD_NAME)
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "120000");
    assertThat(config.instanceId()).isEqualTo(PodEnvironment.POD_NAME);
    assertThat(pipelineConfig(render("s3")).streamsProperties())
        .as("a Deployment's pods have no stable names: dynamic membership")
        .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
  }

  @Test
  void kedaScalesOnTheLagOfThePipelinesGroupOnImagesUpToThePartitions() {
    for (String set : List.of("keda", "secrets")) {
      Manifest manifest = render(set);
      Map<String, Object> pipeline = manifest.pipeline();
      Map<String, Object> scaled = manifest.one("ScaledObject", "glimpse-pipeline");
      Map<String, Object> trigger =
          DeployAssets.map(DeployAssets.list(Manifest.at(scaled, "spec", "triggers")).get(0));
      PipelineConfig config = pipelineConfig(manifest);
      int partitions = (Integer) mergedValue(set, "kafka", "imagesPartitions");

      assertThat(trigger.get("type")).isEqualTo("kafka");
      assertThat(DeployAssets.map(trigger.get("metadata")))
          .containsEntry(
              "consumerGroup",
              GlimpsePipeline.streamsConfig(config)
                  .getProperty(StreamsConfig.APPLICATION_ID_CONFIG))
          .containsEntry("topic", config.imagesTopic())
          .containsEntry("bootstrapServers", config.streamsProperties().get("bootstrap.servers"))
          .containsKeys("lagThreshold", "activationLagThreshold");
      assertThat(config.imagesTopic()).isEqualTo(Topics.IMAGES.name());
      assertThat((Integer) Manifest.at(scaled, "spec", "maxReplicaCount")).isBetween(1, partitions);
      assertThat(Manifest.at(scaled, "spec", "scaleTargetRef", "name"))
          .isEqualTo(Manifest.name(pipeline));
      assertThat(Manifest.at(scaled, "spec", "scaleTargetRef", "kind"))
          .isEqualTo(pipeline.get("kind"));
      assertThat(DeployAssets.map(pipeline.get("spec")))
          .as("KEDA owns the replica count")
          .doesNotContainKey("replicas");
    }
    assertThat(Manifest.at(render("secrets").one("ScaledObject", "glimpse-pipeline"), "spec"))
        .extracting(
            s ->
                Manifest.at(
                    DeployAssets.list(Manifest.at(s, "triggers")).get(0),
                    "authenticationRef",
                    "name"))
        .isEqualTo("glimpse-kafka");
    assertThatThrownBy(
            () ->
                HelmChart.render(
                    List.of(HelmChart.example("values-keda.yaml")),
                    Map.of("keda.maxReplicaCount", 7)))
        .hasMessageContaining("exceeds kafka.imagesPartitions");
    assertThatThrownBy(() -> HelmChart.render(List.of(), Map.of("pipeline.replicas", 7)))
        .hasMessageContaining("exceeds kafka.imagesPartitions");
  }

  @Test
  void gpuVariantAsksForAGpuOnAGpuNodeAndServesOnIt() {
    Manifest manifest = render("gpu");
    Map<String, Object> pipeline = manifest.pipeline();
    Map<String, Object> container = Manifest.container(pipeline);
    Map<String, Object> pod = Manifest.podSpec(pipeline);

    assertThat(DeployAssets.map(Manifest.at(container, "resources", "limits")))
        .containsEntry("nvidia.com/gpu", 1);
    assertThat(DeployAssets.map(pod.get("nodeSelector")))
        .containsEntry("nvidia.com/gpu.present", "true");
    assertThat(String.valueOf(pod.get("tolerations"))).contains("nvidia.com/gpu");
    assertThat(String.valueOf(container.get("image"))).contains("glimpse-gpu");
    assertThat(pipelineConfig(manifest).modelDevice()).isEqualTo("gpu");
    int startupBudget =
        (Integer) Manifest.at(container, "startupProbe", "periodSeconds")
            * (Integer) Manifest.at(container, "startupProbe", "failureThreshold");
    assertThat(startupBudget)
        .as("seconds for CUDA start, model load, warm-up")
        .isGreaterThanOrEqualTo(600);

    Map<String, Object> cpu = Manifest.container(render("s3").pipeline());
    assertThat(String.valueOf(cpu.get("resources"))).doesNotContain("nvidia.com/gpu");
    assertThat(pipelineConfig(render("s3")).modelDevice()).isEqualTo("cpu");
  }

  @Test
  void trainerWritesToTheStoreThePipelineServesAndPromotesTheNameItFollows() {
    for (String set : List.of("trainer-cronjob", "trainer-job")) {
      Manifest manifest = render(set);
      PipelineConfig pipeline = pipelineConfig(manifest);
      Map<String, Object> trainer =
          manifest.workloads().stream()
              .filter(w -> Manifest.name(w).startsWith("glimpse-trainer"))
              .findFirst()
              .orElseThrow();
      List<String> args = Manifest.args(Manifest.container(trainer));

      assertThat(trainer.get("kind")).isEqualTo(set.equals("trainer-cronjob") ? "CronJob" : "Job");
      assertThat(parse(args).subcommand().commandSpec().name()).isEqualTo("train");
      assertThat(args).containsAll(DeployAssets.trainerFlagsFor(pipeline));
    }
    assertThat(
            Manifest.at(
                render("trainer-cronjob").one("CronJob", "glimpse-trainer"), "spec", "schedule"))
        .isEqualTo("0 3 * * 0");

    Manifest volume = render("trainer-job");
    String claim =
        String.valueOf(
            Manifest.at(volume.one("PersistentVolumeClaim", "glimpse-models"), "metadata", "name"));
    assertThat(
            DeployAssets.list(
                Manifest.at(volume.one("PersistentVolumeClaim", claim), "spec", "accessModes")))
        .containsExactly("ReadWriteMany");
    for (Map<String, Object> workload : volume.workloads()) {
      boolean trainer = Manifest.name(workload).startsWith("glimpse-trainer");
      assertThat(String.valueOf(Manifest.podSpec(workload).get("volumes")))
          .contains("claimName=" + claim);
      assertThat(String.valueOf(Manifest.container(workload).get("volumeMounts")))
          .as(
              "%s mounts the store %s",
              Manifest.name(workload), trainer ? "read-write" : "read-only")
          .contains("mountPath=/var/glimpse/models, readOnly=" + !trainer);
    }
  }

  @Test
  void modelsJobRunsAModelsCommandOnTheKafkaAndStoreThePipelineUses() throws IOException {
    for (String set : List.of("promote", "rollback")) {
      Manifest manifest = render(set);
      Map<String, Object> job = manifest.ofKind("Job").get(0);
      Map<String, Object> container = Manifest.container(job);
      ParseResult parsed = parse(Manifest.args(container));
      PipelineConfig pipeline = pipelineConfig(manifest);
      ConnectionSettings settings =
          ConnectionSettings.resolve(null, PodEnvironment.of(container), Map.of());

      assertThat(Manifest.name(job)).startsWith("glimpse-models-");
      assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("models");
      assertThat(parsed.subcommand().subcommand().commandSpec().name()).isEqualTo(set);
      assertThat(parsed.subcommand().subcommand().matchedPositionals().get(0).getValue().toString())
          .isEqualTo(pipeline.modelName().orElseThrow());
      assertThat(settings.store()).isEqualTo(pipeline.modelStore());
      assertThat(settings.bootstrapServers())
          .isEqualTo(pipeline.streamsProperties().get("bootstrap.servers"));
      assertThat(settings.schemaRegistryUrl())
          .isEqualTo(pipeline.streamsProperties().get("schema.registry.url"));
      assertThat(DeployAssets.map(Manifest.at(job, "spec", "template", "metadata", "labels")))
          .containsEntry("app.kubernetes.io/component", "models")
          .containsEntry("app.kubernetes.io/instance", HelmChart.RELEASE);
    }
    assertThat(render("s3").ofKind("Job")).isEmpty();
  }

  @Test
  void secretsAreOnlyReferencedNeverRendered() {
    Manifest manifest = render("secrets");
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
    assertThatThrownBy(
            () -> HelmChart.render(List.of(), Map.of("kafka.properties.sasl\\.jaas\\.config", "x")))
        .hasMessageContaining("give it by reference");
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
    assertThat(render("s3").ofKind("ServiceMonitor")).isEmpty();
  }

  @Test
  void defaultPartitionsAreTheTopicScriptsDefault() throws IOException {
    String script = Files.readString(DeployAssets.dockerDir().resolve("create-topics.sh"));
    Matcher m =
        Pattern.compile("IMAGE_PARTITIONS=\"\\$\\{IMAGE_PARTITIONS:-(\\d+)}\"").matcher(script);
    assertThat(m.find()).as("IMAGE_PARTITIONS default in create-topics.sh").isTrue();
    assertThat(mergedValue("default", "kafka", "imagesPartitions"))
        .isEqualTo(Integer.valueOf(m.group(1)));
  }

  private static PipelineConfig pipelineConfig(Manifest manifest) {
    return PipelineConfig.load(
        null, PodEnvironment.of(Manifest.container(manifest.pipeline())), Map.of());
  }

  private static ParseResult parse(List<String> args) {
    CommandLine cli = GlimpseCli.newCommandLine();
    return cli.parseArgs(args.toArray(String[]::new));
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
    return key.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
  }

  /** The GLIMPSE_* variables bin/glimpse itself reads (JVM options, log level...). */
  private static Set<String> launcherVariables() throws IOException {
    String launcher = Files.readString(DeployAssets.repoRoot().resolve("bin/glimpse"));
    Set<String> names = new HashSet<>();
    Matcher m = Pattern.compile("\\$\\{?(GLIMPSE_[A-Z_]+)").matcher(launcher);
    while (m.find()) {
      names.add(m.group(1));
    }
    assertThat(names).contains("GLIMPSE_JAVA_OPTS");
    return names;
  }

  /** Every key Kafka Streams, its clients and Glimpse's Avro serde know. */
  private static Set<String> knownKafkaKeys() {
    Set<String> keys = new HashSet<>(StreamsConfig.configDef().names());
    keys.addAll(ConsumerConfig.configNames());
    keys.addAll(ProducerConfig.configNames());
    keys.addAll(AdminClientConfig.configNames());
    for (Field field : AvroSerdeConfig.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        try {
          keys.add((String) field.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return keys;
  }

  /**
   * The pipeline's close timeout in seconds: the largest {@code close(Duration.ofSeconds(n))} of
   * PipelineCommand's shutdown and GlimpsePipeline's default. Read from their source: neither
   * exposes it as a constant.
   */
  private static int pipelineCloseTimeoutSeconds() throws IOException {
    Path root = DeployAssets.repoRoot();
    List<Path> sources =
        List.of(
            root.resolve("ops/src/main/java/io/glimpse/ops/cli/PipelineCommand.java"),
            root.resolve("pipeline/src/main/java/io/glimpse/pipeline/GlimpsePipeline.java"));
    Pattern close = Pattern.compile("close\\(Duration\\.ofSeconds\\((\\d+)\\)\\)");
    List<Integer> timeouts = new ArrayList<>();
    for (Path source : sources) {
      Matcher m = close.matcher(Files.readString(source));
      while (m.find()) {
        timeouts.add(Integer.parseInt(m.group(1)));
      }
    }
    assertThat(timeouts).as("close(Duration.ofSeconds(n)) in %s", sources).isNotEmpty();
    return timeouts.stream().mapToInt(Integer::intValue).max().orElseThrow();
  }

  /** A value as Helm merges it: values.yaml, then the set's example files in order. */
  private static Object mergedValue(String set, String... path) {
    List<Path> files = new ArrayList<>(List.of(HelmChart.dir().resolve("values.yaml")));
    VALUE_SETS.get(set).forEach(f -> files.add(HelmChart.example(f)));
    Object value = null;
    for (Path file : files) {
      try {
        Object found = Manifest.at(DeployAssets.yaml(file), path);
        value = found != null ? found : value;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return value;
  }
}
