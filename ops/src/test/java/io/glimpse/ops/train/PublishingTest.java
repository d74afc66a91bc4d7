package io.glimpse.ops.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.lifecycle.Publication;
import io.glimpse.lifecycle.PublishedVersion;
import io.glimpse.lifecycle.VersionPublisher;
import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.ModelArtifact;
import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.model.mobilenet.UntrainedModels;
import io.glimpse.model.store.FileModelStore;
import io.glimpse.ops.cli.GlimpseCli;
import io.glimpse.ops.embedded.EmbeddedStack;
import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.avro.ModelVersion;
import io.glimpse.schemas.topic.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Publishing on the embedded stack: {@code glimpse train --publish --promote} stores the version
 * and announces it; promotion refuses a worse model unless forced.
 */
class PublishingTest {

  @TempDir static Path stackDir;
  private static EmbeddedStack stack;

  @TempDir Path dir;

  @BeforeAll
  static void startStack() {
    stack = EmbeddedStack.builder().optDataDir(stackDir).optPartitions(1).build().start();
  }

  @AfterAll
  static void stopStack() {
    stack.close();
  }

  @Test
  void trainPublishesTheVersionToTheStoreAndToModelVersions() throws Exception {
    Path store = dir.resolve("models");
    StringWriter out = new StringWriter();
    int exit =
        cli(out)
            .execute(
                QuickTraining.syntheticAndPromoted(
                    "shapes-cli",
                    store.toUri().toString(),
                    dir.resolve("run"),
                    stack.bootstrapServers(),
                    stack.schemaRegistryUrl()));

    assertThat(exit).as(out.toString()).isZero();
    Path stored = store.resolve("shapes-cli/1");
    assertThat(stored.resolve("manifest.json")).exists();
    ModelVersion version =
        TopicContents.latestByKey(stack, Topics.MODEL_VERSIONS).get("shapes-cli/1");
    assertThat(version).isNotNull();
    assertThat(version.getArtifactUri()).isEqualTo(stored.toUri().toString());
    assertThat(version.getSha256()).isEqualTo(ModelArtifact.manifestSha256(stored));
    assertThat(version.getMetrics()).containsKeys("validation_accuracy", "test_accuracy");
    ModelDeployment deployment =
        TopicContents.latestByKey(stack, Topics.MODEL_DEPLOYMENTS).get("shapes-cli");
    assertThat(deployment.getVersion()).isEqualTo("1"); // the first version is always deployed
    assertThat(out.toString()).contains("best epoch", "stored", "promoted  yes");
  }

  @Test
  void promoteRefusesAWorseModelAndForceOverrides() throws Exception {
    FileModelStore store = new FileModelStore(dir.resolve("models"));
    VersionPublisher publisher =
        VersionPublisher.builder()
            .setBootstrapServers(stack.bootstrapServers())
            .setSchemaRegistryUrl(stack.schemaRegistryUrl())
            .build();

    PublishedVersion first = publish(store, publisher, "1", 0.90, false);
    PublishedVersion worse = publish(store, publisher, "2", 0.85, false);

    assertThat(first.promotion().orElseThrow().promoted()).isTrue();
    assertThat(worse.promotion().orElseThrow().promoted()).isFalse();
    assertThat(worse.promotion().orElseThrow().reason())
        .isEqualTo("validation_accuracy 0.8500 < 0.9000 of v1");
    assertThat(deployedVersion()).isEqualTo("1");
    assertThat(TopicContents.latestByKey(stack, Topics.MODEL_VERSIONS))
        .containsKeys("gated/1", "gated/2"); // a refused version is still announced

    PublishedVersion forced = publish(store, publisher, "3", 0.80, true);
    assertThat(forced.promotion().orElseThrow().promoted()).isTrue();
    assertThat(deployedVersion()).isEqualTo("3");
    PublishedVersion better = publish(store, publisher, "4", 0.95, false);
    assertThat(better.promotion().orElseThrow().promoted()).isTrue();
    assertThat(deployedVersion()).isEqualTo("4");
  }

  @Test
  void trainHelpDocumentsEveryOption() {
    CommandLine train = GlimpseCli.newCommandLine().getSubcommands().get("train");
    train
        .getCommandSpec()
        .options()
        .forEach(
            option ->
                assertThat(String.join(" ", option.description()))
                    .as(option.longestName())
                    .isNotBlank());
    StringWriter out = new StringWriter();
    assertThat(cli(out).execute("train", "--help")).isZero();
    assertThat(out.toString()).contains("--dataset", "--promote", "--force", "--max-batches");
  }

  private static CommandLine cli(StringWriter out) {
    CommandLine cli = GlimpseCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    return cli;
  }

  private PublishedVersion publish(
      FileModelStore store,
      VersionPublisher publisher,
      String version,
      double accuracy,
      boolean force)
      throws Exception {
    Path artifact = dir.resolve("artifacts/" + version);
    UntrainedModels.write(
        artifact,
        "gated",
        version,
        0.25f,
        new InputShape(1, 32, 32),
        UntrainedModels.numberedLabels(3),
        1);
    withValidationAccuracy(artifact, accuracy);
    return Publication.publish(artifact, store, publisher, true, force, "test");
  }

  /** Rewrites the manifest's metrics; the manifest pins the other files, not itself. */
  private static void withValidationAccuracy(Path artifact, double accuracy) throws Exception {
    Path file = artifact.resolve(ModelArtifact.MANIFEST_FILE);
    ModelManifest manifest = ModelManifest.fromJson(Files.readAllBytes(file));
    Files.write(
        file,
        manifest.toBuilder().optMetrics(Map.of("validation_accuracy", accuracy)).build().toJson());
  }

  private static String deployedVersion() {
    return TopicContents.latestByKey(stack, Topics.MODEL_DEPLOYMENTS).get("gated").getVersion();
  }
}
