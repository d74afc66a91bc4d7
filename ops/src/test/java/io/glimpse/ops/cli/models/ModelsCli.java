package io.glimpse.ops.cli.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.lifecycle.KafkaConnection;
import io.glimpse.lifecycle.ModelCatalog;
import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.ModelArtifact;
import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.model.mobilenet.UntrainedModels;
import io.glimpse.ops.cli.GlimpseCli;
import io.glimpse.ops.embedded.EmbeddedStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs {@code glimpse models ...} in this JVM against one embedded stack and store, the way {@code
 * main} does, and keeps what it printed; makes tiny artifacts to register.
 */
final class ModelsCli {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EmbeddedStack stack;
  private final Path store;
  private final Path scratch;
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  ModelsCli(EmbeddedStack stack, Path root) throws Exception {
    this.stack = stack;
    this.store = root.resolve("store");
    this.scratch = Files.createDirectories(root.resolve("scratch"));
  }

  /** Runs {@code glimpse models <args> --bootstrap-servers ... --store ...}; returns the code. */
  int run(String... args) {
    List<String> line = new ArrayList<>(List.of("models"));
    line.addAll(List.of(args));
    line.addAll(
        List.of(
            "--bootstrap-servers",
            stack.bootstrapServers(),
            "--schema-registry-url",
            stack.schemaRegistryUrl(),
            "--store",
            store.toUri().toString()));
    return runRaw(line.toArray(String[]::new));
  }

  /** Runs a command line as it is. */
  int runRaw(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cli = GlimpseCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  /** Runs and parses stdout as JSON, failing with stderr when the command failed. */
  JsonNode json(String... args) throws Exception {
    int code = run(args);
    if (code != 0) {
      throw new AssertionError("exit " + code + ": " + err());
    }
    return JSON.readTree(out());
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }

  Path store() {
    return store;
  }

  /** What Kafka says, read with the library the commands use. */
  ModelCatalog catalog() {
    return new ModelCatalog(kafka());
  }

  KafkaConnection kafka() {
    return KafkaConnection.builder()
        .setBootstrapServers(stack.bootstrapServers())
        .setSchemaRegistryUrl(stack.schemaRegistryUrl())
        .build();
  }

  /** A tiny untrained artifact (α 0.25, 1×32×32, three labels) outside the store. */
  Path artifact(String name, String version, int seed) throws Exception {
    Path dir = scratch.resolve(name + "-" + version + "-" + seed);
    UntrainedModels.write(
        dir,
        name,
        version,
        0.25f,
        new InputShape(1, 32, 32),
        UntrainedModels.numberedLabels(3),
        seed);
    return dir;
  }

  /** The same, with a validation accuracy for promotion to compare. */
  Path artifact(String name, String version, double validationAccuracy) throws Exception {
    Path dir = artifact(name, version, 1);
    Path file = dir.resolve(ModelArtifact.MANIFEST_FILE);
    ModelManifest manifest = ModelManifest.fromJson(Files.readAllBytes(file));
    Files.write(
        file,
        manifest.toBuilder()
            .optMetrics(Map.of("validation_accuracy", validationAccuracy))
            .build()
            .toJson());
    return dir;
  }

  /** Registers a tiny version through the CLI; fails the test if that fails. */
  void register(String name, String version) throws Exception {
    registerArtifact(artifact(name, version, 1));
  }

  void registerArtifact(Path artifact) {
    int code = run("register", artifact.toString());
    if (code != 0) {
      throw new AssertionError("register " + artifact + " exited " + code + ": " + err());
    }
  }
}
