package io.glimpse.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.ops.RequiredPackage;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.schemas.topic.Topic;
import io.glimpse.schemas.topic.Topics;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml and its assets, checked without a Docker engine: Debian's docker-compose
 * validates the file; the pipeline's environment is a configuration the pipeline accepts and agrees
 * with Prometheus, the trainer and the health check; the topic initializer creates every topic
 * {@link Topics} declares, compacted where it must be.
 */
class ComposeDeploymentTest {
  @TempDir Path tmp;

  @Test
  void dockerComposeValidatesTheFileWithEveryProfileAndRejectsABrokenOne() throws Exception {
    Optional<Path> compose = onPath("docker-compose");
    RequiredPackage.assumeInstalled(compose.isPresent(), "docker-compose");
    Path root = DeployAssets.repoRoot();
    Path file = root.resolve("docker-compose.yml");

    Result valid =
        run(
            compose.get(),
            root,
            file,
            "--profile",
            "gpu",
            "--profile",
            "trainer",
            "--profile",
            "retrain");
    assertThat(valid.exitCode()).as(valid.output()).isZero();

    Path broken = tmp.resolve("docker-compose.yml");
    Files.writeString(
        broken,
        Files.readString(file)
            .replace("service_completed_successfully", "service_finished_somehow"));
    Result rejected = run(compose.get(), root, broken);
    assertThat(rejected.exitCode()).as("a bad depends_on condition").isNotZero();
    assertThat(rejected.output()).contains("service_finished_somehow");
  }

  @Test
  void pipelineEnvironmentIsAConfigurationThePipelineAccepts() throws IOException {
    Map<String, String> env = DeployAssets.environment("pipeline");
    PipelineConfig config = PipelineConfig.load(null, env, Map.of());

    config.checkModelSource();
    assertThat(config.streamsProperties())
        .containsEntry("bootstrap.servers", "kafka:19092")
        .containsEntry("schema.registry.url", "http://schema-registry:8081");
    assertThat(config.httpHost()).as("reachable from Prometheus").isEqualTo("0.0.0.0");
    assertThat(config.modelDevice()).isEqualTo("cpu");
    env.forEach(
        (name, value) -> {
          String key =
              name.startsWith("GLIMPSE_KAFKA_")
                  ? name.substring("GLIMPSE_KAFKA_".length())
                  : "glimpse." + name.substring("GLIMPSE_".length());
          assertThat(config.values())
              .as("%s is read as a setting (a misspelt GLIMPSE_ variable is ignored)", name)
              .containsEntry(key.toLowerCase(Locale.ROOT).replace('_', '.'), value);
        });
    assertThat(
            PipelineConfig.load(null, DeployAssets.environment("pipeline-gpu"), Map.of())
                .modelDevice())
        .isEqualTo("gpu");
  }

  @Test
  void trainerWritesToTheStoreThePipelineServesAndPromotesTheNameItFollows() throws IOException {
    PipelineConfig pipeline =
        PipelineConfig.load(null, DeployAssets.environment("pipeline"), Map.of());
    Map<String, Object> trainer = DeployAssets.map(DeployAssets.services().get("trainer"));
    List<String> command =
        DeployAssets.list(trainer.get("command")).stream()
            .map(a -> DeployAssets.withDefaults(String.valueOf(a)))
            .toList();

    assertThat(command).startsWith("train").containsAll(DeployAssets.trainerFlagsFor(pipeline));
    assertThat(DeployAssets.list(trainer.get("profiles"))).containsExactly("trainer");
    String mountPoint = pipeline.modelStore().substring("file://".length());
    assertThat(volumes("trainer")).contains("models:" + mountPoint);
    assertThat(volumes("pipeline")).contains("models:" + mountPoint + ":ro");

    List<String> retrain =
        DeployAssets.list(DeployAssets.map(DeployAssets.services().get("retrainer")).get("command"))
            .stream()
            .map(a -> DeployAssets.withDefaults(String.valueOf(a)))
            .toList();
    assertThat(retrain)
        .startsWith("retrain", pipeline.modelName().orElseThrow())
        .contains(
            "--store=" + pipeline.modelStore(),
            "--bootstrap-servers=" + pipeline.streamsProperties().get("bootstrap.servers"),
            "--schema-registry-url=" + pipeline.streamsProperties().get("schema.registry.url"));
    assertThat(volumes("retrainer")).contains("models:" + mountPoint);
  }

  @Test
  void prometheusScrapesEveryPipelineReplicaOnItsMetricsPort() throws IOException {
    PipelineConfig pipeline =
        PipelineConfig.load(null, DeployAssets.environment("pipeline"), Map.of());
    Map<String, Object> prometheus =
        DeployAssets.yaml(DeployAssets.dockerDir().resolve("prometheus/prometheus.yml"));
    Map<String, Object> job =
        DeployAssets.list(prometheus.get("scrape_configs")).stream()
            .map(DeployAssets::map)
            .filter(j -> "glimpse-pipeline".equals(j.get("job_name")))
            .findFirst()
            .orElseThrow();
    Map<String, Object> discovery =
        DeployAssets.map(DeployAssets.list(job.get("dns_sd_configs")).get(0));

    assertThat(job.get("metrics_path")).isEqualTo("/metrics");
    assertThat(discovery.get("type")).as("one A record per replica").isEqualTo("A");
    assertThat(discovery.get("port")).isEqualTo(pipeline.httpPort());
    assertThat(DeployAssets.list(discovery.get("names"))).containsExactly("pipeline");
    Map<String, Object> service = DeployAssets.map(DeployAssets.services().get("pipeline"));
    assertThat(DeployAssets.list(service.get("expose"))).contains(pipeline.httpPort() + "");
    assertThat(service).as("no host port: replicas scale").doesNotContainKey("ports");
    assertThat(String.valueOf(DeployAssets.map(service.get("healthcheck")).get("test")))
        .contains("http://localhost:" + pipeline.httpPort() + "/health/live");
    assertThat(
            Files.readString(
                DeployAssets.dockerDir()
                    .resolve("grafana/provisioning/datasources/prometheus.yml")))
        .contains("url: http://prometheus:9090", "uid: prometheus");
    assertThat(DeployAssets.services()).containsKeys("prometheus", "grafana");
  }

  @Test
  void everyFileTheComposeFileMountsExists() throws IOException {
    Path root = DeployAssets.repoRoot();
    List<String> mounted = new ArrayList<>();
    for (String service : DeployAssets.services().keySet()) {
      for (String volume : volumes(service)) {
        if (volume.startsWith("./")) {
          mounted.add(volume.substring(0, volume.indexOf(':')));
        }
      }
    }
    assertThat(mounted).isNotEmpty();
    assertThat(mounted).allSatisfy(path -> assertThat(root.resolve(path)).exists());
    assertThat(root.resolve("Dockerfile")).isRegularFile();
  }

  @Test
  void topicInitializerCreatesEveryGlimpseTopicCompactedWhereItMustBe() throws Exception {
    Path calls = tmp.resolve("calls.txt");
    Path stub = tmp.resolve("kafka-topics.sh");
    Files.writeString(stub, "#!/bin/sh\necho \"$@\" >> " + calls + "\n");
    assertThat(stub.toFile().setExecutable(true)).isTrue();
    ProcessBuilder script =
        new ProcessBuilder("sh", DeployAssets.dockerDir().resolve("create-topics.sh").toString())
            .redirectErrorStream(true);
    script.environment().put("KAFKA_TOPICS", stub.toString());
    script.environment().put("IMAGE_PARTITIONS", "6");
    Result result = finish(script.start());
    assertThat(result.exitCode()).as(result.output()).isZero();

    Map<String, String> created = new HashMap<>();
    for (String call : Files.readAllLines(calls)) {
      List<String> args = List.of(call.split(" "));
      assertThat(args).contains("--create", "--if-not-exists");
      String topic = args.get(args.indexOf("--topic") + 1);
      created.put(topic, call);
    }
    Map<String, String> declared =
        Topics.ALL.stream().collect(Collectors.toMap(Topic::name, ComposeDeploymentTest::policy));
    assertThat(created.keySet()).containsExactlyInAnyOrderElementsOf(declared.keySet());
    declared.forEach(
        (topic, policy) ->
            assertThat(created.get(topic).contains("cleanup.policy=compact"))
                .as("%s is compacted", topic)
                .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT.equals(policy)));
    assertThat(created.get(Topics.IMAGES.name())).contains("--partitions 6");
  }

  private static String policy(Topic<?, ?> topic) {
    return topic.topicConfig().getOrDefault(TopicConfig.CLEANUP_POLICY_CONFIG, "delete");
  }

  private static List<String> volumes(String service) throws IOException {
    Object volumes = DeployAssets.map(DeployAssets.services().get(service)).get("volumes");
    return volumes == null
        ? List.of()
        : DeployAssets.list(volumes).stream().map(String::valueOf).toList();
  }

  private static Optional<Path> onPath(String command) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(dir -> Path.of(dir, command))
        .filter(Files::isExecutable)
        .findFirst();
  }

  private static Result run(Path compose, Path root, Path file, String... profiles)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(compose.toString(), "-f", file.toString()));
    command.addAll(List.of("--project-directory", root.toString()));
    command.addAll(List.of(profiles));
    command.addAll(List.of("config", "-q"));
    return finish(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  private static Result finish(Process process) throws IOException, InterruptedException {
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("still running after 60 s: " + process.info());
    }
    return new Result(process.exitValue(), output);
  }

  private record Result(int exitCode, String output) {}
}
