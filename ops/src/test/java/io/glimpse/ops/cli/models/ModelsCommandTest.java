package io.glimpse.ops.cli.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.glimpse.model.artifact.ModelArchive;
import io.glimpse.model.artifact.ModelArtifact;
import io.glimpse.ops.RequiredPackage;
import io.glimpse.ops.cli.GlimpseCli;
import io.glimpse.ops.embedded.EmbeddedStack;
import io.glimpse.schemas.avro.ModelServingStatus;
import io.glimpse.schemas.avro.ModelVersion;
import io.glimpse.schemas.avro.ReloadRefusal;
import io.glimpse.schemas.topic.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code glimpse models register | list | show | status} on the embedded stack, what bad input and
 * an unreachable Kafka or registry do, and the help of every subcommand.
 */
class ModelsCommandTest {

  @TempDir static Path root;
  private static EmbeddedStack stack;
  private static ModelsCli cli;

  @BeforeAll
  static void start() throws Exception {
    stack = EmbeddedStack.builder().optDataDir(root.resolve("stack")).optPartitions(1).build();
    stack.start();
    cli = new ModelsCli(stack, root);
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void registerStoresAndAnnouncesADirectoryAndAZipOnce() throws Exception {
    Path dir = cli.artifact("reg", "1", 1);
    assertThat(cli.run("register", dir.toString())).as(cli.err()).isZero();
    assertThat(cli.out()).contains("registered reg v1 (djl, 1x32x32, 3 labels)", "promote reg 1");
    Path stored = cli.store().resolve("reg/1");
    ModelVersion announced = cli.catalog().version("reg", "1").orElseThrow();
    assertThat(announced.getArtifactUri()).isEqualTo(stored.toUri().toString());
    assertThat(announced.getSha256()).isEqualTo(ModelArtifact.manifestSha256(stored));

    assertThat(cli.run("register", dir.toString())).isZero();
    assertThat(cli.out()).contains("reg v1 was registered already with this artifact");

    Path zip = root.resolve("reg-2.zip");
    ModelArchive.pack(cli.artifact("reg", "2", 2), zip);
    JsonNode registered = cli.json("register", zip.toString(), "--json");
    assertThat(registered.get("version").asText()).isEqualTo("2");
    assertThat(registered.get("stored").asBoolean()).isTrue();
    assertThat(cli.store().resolve("reg/2/manifest.json")).exists();

    assertThat(cli.run("register", dir.toString(), "--version", "7")).as(cli.err()).isZero();
    assertThat(cli.catalog().version("reg", "7").orElseThrow().getSha256())
        .isNotEqualTo(announced.getSha256()); // its manifest names version 7

    assertThat(cli.run("register", cli.artifact("reg", "1", 99).toString())).isEqualTo(1);
    assertThat(cli.err())
        .contains("reg v1 is already registered with another artifact", "--version 8");
  }

  @Test
  void registerRefusesWhatIsNotALoadableArtifactAndWritesNothing() throws Exception {
    Path notAnArtifact = Files.createDirectories(root.resolve("not-an-artifact"));
    Files.writeString(notAnArtifact.resolve("readme.txt"), "hello");
    assertThat(cli.run("register", notAnArtifact.toString())).isEqualTo(1);
    assertOneLine(
        cli.err(),
        "glimpse: cannot register "
            + notAnArtifact
            + ": no manifest.json (as a regular file) in "
            + notAnArtifact);

    Path broken = Files.write(root.resolve("broken.pt"), new byte[] {1, 2, 3, 4});
    String[] ptOptions = {
      "--name",
      "bad-pt",
      "--labels",
      "a,b",
      "--input-size",
      "32",
      "--channels",
      "1",
      "--mean",
      "0.5",
      "--std",
      "0.25"
    };
    assertThat(cli.run(concat(new String[] {"register", broken.toString()}, ptOptions)))
        .isEqualTo(1);
    assertOneLine(
        cli.err(),
        "glimpse: cannot register " + broken + ": cannot load TorchScript file bad-pt.pt");

    assertThat(cli.run("register", broken.toString(), "--name", "bad-pt")).isEqualTo(2);
    assertThat(cli.err()).contains("a .pt file needs --labels, --input-size, --mean and --std");
    Path dir = cli.artifact("opts", "1", 1);
    assertThat(cli.run("register", dir.toString(), "--labels", "a,b")).isEqualTo(2);
    assertThat(cli.run("register", dir.toString(), "--name", "other")).isEqualTo(2);
    assertThat(cli.err()).contains("the artifact is opts v1, not other");

    assertThat(cli.store().resolve("not-an-artifact")).doesNotExist();
    assertThat(cli.store().resolve("bad-pt")).doesNotExist();
    assertThat(cli.store().resolve("opts")).doesNotExist();
    assertThat(cli.catalog().versions("bad-pt")).isEmpty();
  }

  /**
   * Needs PyTorch for /usr/bin/python3 (Debian's python3-torch); skipped where it is missing,
   * except in CI.
   */
  @Test
  void registerWritesAManifestForATorchScriptFile() throws Exception {
    RequiredPackage.assumeInstalled(
        Files.isExecutable(Path.of("/usr/bin/python3"))
            && python("-c", "import torch").exitValue() == 0,
        "python3-torch");
    Path script = root.resolve("traced.pt");
    Process trace = python("-c", TRACE_SCRIPT, script.toString());
    assertThat(trace.exitValue()).as(new String(trace.getErrorStream().readAllBytes())).isZero();
    Path labels = Files.write(root.resolve("labels.txt"), List.of("a", "b", "c", "d"));

    JsonNode registered =
        cli.json(
            "register",
            script.toString(),
            "--name",
            "traced",
            "--labels",
            labels.toString(),
            "--input-size",
            "32",
            "--channels",
            "1",
            "--mean",
            "0.5",
            "--std",
            "0.25",
            "--metric",
            "validation_accuracy=0.75",
            "--json");

    assertThat(registered.get("version").asText()).isEqualTo("1"); // the next in the store
    JsonNode shown = cli.json("show", "traced", "1", "--json");
    assertThat(shown.get("format").asText()).isEqualTo("torchscript");
    assertThat(shown.get("labels")).hasSize(4);
    assertThat(shown.get("metrics").get("validation_accuracy").asDouble()).isEqualTo(0.75);
    assertThat(shown.get("deployed").asBoolean()).isFalse();
    assertThat(cli.store().resolve("traced/1/traced.pt")).exists();
  }

  @Test
  void statusShowsTheDeploymentAndWhatEveryInstanceServes() throws Exception {
    cli.register("served", "1");
    cli.register("served", "2");
    assertThat(cli.run("promote", "served", "1")).isZero();
    assertThat(cli.run("pin", "served", "2", "--reason", "canary")).isZero();
    Instant refused = Instant.parse("2026-11-29T10:00:00Z");
    publishStatus(
        ModelServingStatus.newBuilder()
            .setApplication("glimpse-pipeline")
            .setInstance("host-a")
            .setModelName("served")
            .setDesiredVersion("2")
            .setServedVersion("1")
            .setServedSha256("ab".repeat(32))
            .setServedSince(refused.minusSeconds(60))
            .setLastRefusal(new ReloadRefusal("2", "manifest sha256 differs", refused))
            .setUpdatedTime(refused)
            .build());

    JsonNode status = cli.json("status", "served", "--json");
    JsonNode deployment = status.get("deployments").get(0);
    assertThat(deployment.get("version").asText()).isEqualTo("2");
    assertThat(deployment.get("pinned").asBoolean()).isTrue();
    assertThat(deployment.get("reason").asText()).isEqualTo("pin: canary");
    JsonNode instance = status.get("instances").get(0);
    assertThat(instance.get("instance").asText()).isEqualTo("host-a");
    assertThat(instance.get("servedVersion").asText()).isEqualTo("1");
    assertThat(instance.get("lastRefusal").get("reason").asText())
        .isEqualTo("manifest sha256 differs");

    assertThat(cli.run("status", "served")).isZero();
    assertThat(cli.out())
        .containsPattern("served +v2 +yes +\\S+ .*pin: canary")
        .containsPattern("glimpse-pipeline +host-a +served +v2 +v1 +2026-11-29T09:59:00Z")
        .contains("v2 at 2026-11-29T10:00:00Z: manifest sha256 differs");
    assertThat(cli.run("status", "nothing-here")).isZero();
    assertThat(cli.out())
        .contains("Nothing of nothing-here is deployed", "No pipeline instance has reported");
  }

  @Test
  void anUnreachableKafkaFailsFastWithOneLine() {
    long start = System.nanoTime();
    int code =
        cli.runRaw(
            "models",
            "list",
            "--bootstrap-servers",
            "127.0.0.1:1",
            "--timeout",
            "2",
            "--store",
            root.resolve("unused").toString());
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(code).isEqualTo(1);
    assertOneLine(
        cli.err(),
        "glimpse: Kafka at 127.0.0.1:1 did not answer within 2 s while reading model-versions");
    assertThat(cli.err()).contains("check the bootstrap servers and that Kafka is running");
    assertThat(took).isLessThan(Duration.ofSeconds(15));

    assertThat(
            cli.runRaw(
                "models",
                "promote",
                "any",
                "1",
                "--bootstrap-servers",
                "127.0.0.1:1",
                "--timeout",
                "2"))
        .isEqualTo(1);
    assertOneLine(cli.err(), "glimpse: Kafka at 127.0.0.1:1 did not answer within 2 s");
  }

  @Test
  void anUnreachableRegistryFailsWithOneLine() throws Exception {
    cli.register("needs-registry", "1");
    int code =
        cli.runRaw(
            "models",
            "list",
            "--bootstrap-servers",
            stack.bootstrapServers(),
            "--registry-url",
            "http://127.0.0.1:1",
            "--timeout",
            "5");
    assertThat(code).isEqualTo(1);
    assertOneLine(cli.err(), "glimpse: cannot read model-versions from Kafka at ");
    assertThat(cli.err())
        .contains("Schema registry at http://127.0.0.1:1 is unreachable")
        .contains("check schema.registry.url and that the registry is running");
  }

  @Test
  void everyCommandHasHelpAndEveryOptionADescription() {
    CommandLine models = GlimpseCli.newCommandLine().getSubcommands().get("models");
    assertThat(models.getSubcommands().keySet())
        .containsExactlyInAnyOrder(
            "list",
            "show",
            "register",
            "promote",
            "rollback",
            "pin",
            "unpin",
            "status",
            "shadow",
            "evaluate",
            "compare");
    for (var sub : models.getSubcommands().entrySet()) {
      sub.getValue()
          .getCommandSpec()
          .options()
          .forEach(
              o ->
                  assertThat(String.join(" ", o.description()))
                      .as(sub.getKey() + " " + o.longestName())
                      .isNotBlank());
      assertThat(cli.runRaw("models", sub.getKey(), "--help")).isZero();
      assertThat(cli.out()).contains("--bootstrap-servers", "--store", "--timeout");
    }
    assertThat(cli.runRaw("models")).isEqualTo(2);
    assertThat(cli.err()).contains("Missing command: choose list, show, register");
  }

  private static void publishStatus(ModelServingStatus status) throws Exception {
    Map<String, Object> config = stack.clientConfig();
    try (KafkaProducer<String, ModelServingStatus> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", stack.bootstrapServers()),
            Topics.MODEL_SERVING_STATUS.keySerde(config).serializer(),
            Topics.MODEL_SERVING_STATUS.valueSerde(config).serializer())) {
      String key = Topics.servingStatusKey(status.getApplication(), status.getInstance());
      producer.send(new ProducerRecord<>(Topics.MODEL_SERVING_STATUS.name(), key, status)).get();
    }
  }

  private static void assertOneLine(String err, String start) {
    assertThat(err.strip()).startsWith(start).doesNotContain("\n", "\tat ");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  /** A small traced module: 1×32×32 in, four scores out. */
  private static final String TRACE_SCRIPT =
      String.join(
          "\n",
          "import sys, torch",
          "torch.manual_seed(0)",
          "net = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, 2, 1), torch.nn.ReLU(),",
          "    torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(4, 4)).eval()",
          "torch.jit.trace(net, torch.zeros(1, 1, 32, 32)).save(sys.argv[1])");

  private static Process python(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/python3"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("python3 did not finish in 120 s");
    }
    return process;
  }
}
