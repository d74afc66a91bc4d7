package io.glimpse.ops.cli.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.glimpse.lifecycle.PromotionDecision;
import io.glimpse.lifecycle.VersionPublisher;
import io.glimpse.ops.embedded.EmbeddedStack;
import io.glimpse.schemas.avro.DeploymentHistoryEntry;
import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.avro.ModelVersion;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code glimpse models promote | rollback | pin | unpin} on the embedded stack: the history each
 * record carries, transitions that are harmless to repeat, and pins that the trainer's automatic
 * promotion leaves alone.
 */
class ModelsDeploymentTest {

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
  void promoteRollbackPromoteKeepsTheHistoryRight() throws Exception {
    for (String v : List.of("1", "2", "3")) {
      cli.register("cycle", v);
    }

    assertThat(cli.run("promote", "cycle", "1", "--reason", "first")).isZero();
    assertDeployed("cycle", "1", false);
    assertThat(cli.out()).contains("cycle now serves v1, at ", "(first deployment)");

    assertThat(cli.run("promote", "cycle", "2")).isZero();
    assertDeployed("cycle", "2", false, "1");
    ModelDeployment second = deployment("cycle");
    assertThat(second.getHistory().get(0).getReason()).isEqualTo("promote: first");

    assertThat(cli.run("promote", "cycle", "2")).as(cli.err()).isZero(); // again: no change
    assertThat(cli.out()).contains("cycle v2 is deployed already; nothing published");
    assertThat(deployment("cycle").getDeployedTime()).isEqualTo(second.getDeployedTime());

    assertThat(cli.run("promote", "cycle", "3")).isZero();
    assertDeployed("cycle", "3", false, "2", "1");
    assertThat(cli.out()).contains("(was v2)", "history: v2, v1; rollback would return to v2");

    assertThat(cli.run("rollback", "cycle", "--reason", "latency")).isZero();
    assertDeployed("cycle", "2", false, "1");
    assertThat(deployment("cycle").getReason()).isEqualTo("rollback from v3: latency");
    assertThat(cli.run("rollback", "cycle")).isZero();
    assertDeployed("cycle", "1", false);
    assertThat(cli.run("rollback", "cycle")).isEqualTo(1);
    assertThat(cli.err().strip())
        .isEqualTo(
            "glimpse: cycle v1 has no earlier deployment to roll back to; promote a version"
                + " instead (glimpse models promote cycle <version>)");
    assertDeployed("cycle", "1", false);

    assertThat(cli.run("promote", "cycle", "3")).isZero();
    assertDeployed("cycle", "3", false, "1");

    JsonNode list = cli.json("list", "cycle", "--json");
    assertThat(list).hasSize(3);
    assertThat(list.get(0).get("rollbackTarget").asBoolean()).isTrue(); // v1
    assertThat(list.get(2).get("deployed").asBoolean()).isTrue(); // v3
    assertThat(list.get(1).get("deployed").asBoolean()).isFalse();
    JsonNode show = cli.json("show", "cycle", "3", "--json");
    assertThat(show.get("deployment").get("history").get(0).get("version").asText()).isEqualTo("1");
  }

  @Test
  void anUnknownVersionOrAnotherModelsVersionIsRefusedAndNothingIsPublished() throws Exception {
    cli.register("mine", "1");
    cli.register("theirs", "5");
    assertThat(cli.run("promote", "mine", "1")).isZero();

    assertThat(cli.run("promote", "mine", "9")).isEqualTo(1);
    assertThat(cli.err())
        .contains("glimpse: mine v9 is not registered on model-versions (mine has v1)");
    assertThat(cli.run("pin", "mine", "5")).isEqualTo(1);
    assertThat(cli.err()).contains("mine v5 is not registered", "v5 is a version of theirs");
    assertThat(cli.run("promote", "nobody", "1")).isEqualTo(1);
    assertThat(cli.err()).contains("nobody has no versions");
    assertThat(cli.run("rollback", "nobody")).isEqualTo(1);
    assertThat(cli.err()).contains("nothing of nobody is deployed");

    assertDeployed("mine", "1", false);
    assertThat(cli.catalog().deployment("nobody")).isEmpty();
  }

  @Test
  void aVersionWhoseArtifactIsNotInTheStoreIsRefused() throws Exception {
    cli.register("moved", "1");
    Path elsewhere = root.resolve("another-store");
    int code =
        cli.runRaw(
            "models",
            "promote",
            "moved",
            "1",
            "--bootstrap-servers",
            stack.bootstrapServers(),
            "--schema-registry-url",
            stack.schemaRegistryUrl(),
            "--store",
            elsewhere.toString());
    assertThat(code).isEqualTo(1);
    assertThat(cli.err()).contains("moved v1 cannot be deployed", "pass the store the pipelines");
    assertThat(cli.catalog().deployment("moved")).isEmpty();
  }

  @Test
  void aPinSurvivesTheTrainersPromotionUntilItIsLifted() throws Exception {
    cli.registerArtifact(cli.artifact("pinned", "1", 0.50));
    cli.registerArtifact(cli.artifact("pinned", "2", 0.99));
    ModelVersion better = cli.catalog().version("pinned", "2").orElseThrow();
    VersionPublisher trainer = VersionPublisher.of(cli.kafka());

    assertThat(cli.run("pin", "pinned", "1", "--reason", "incident 42")).isZero();
    assertDeployed("pinned", "1", true);
    assertThat(cli.out()).contains("pinned now serves v1, pinned, at ", ": pin: incident 42");

    for (boolean force : new boolean[] {false, true}) {
      PromotionDecision decision = trainer.promote(better, force, "trainer");
      assertThat(decision.promoted()).as("force=%s", force).isFalse();
      assertThat(decision.reason()).contains("pinned v1 is pinned since", "\"pin: incident 42\"");
    }
    assertDeployed("pinned", "1", true);
    assertThat(cli.run("promote", "pinned", "2")).isEqualTo(1);
    assertThat(cli.err())
        .contains("cannot promote pinned v2: pinned v1 is pinned", "unpin it first");
    assertThat(cli.run("rollback", "pinned")).isEqualTo(1);
    assertThat(cli.run("pin", "pinned", "1")).isZero();
    assertThat(cli.out()).contains("is deployed already (pinned); nothing published");

    assertThat(cli.run("unpin", "pinned", "--reason", "over")).isZero();
    assertDeployed("pinned", "1", false);
    assertThat(cli.out()).contains("(the same version, no longer pinned)");
    assertThat(deployment("pinned").getReason()).isEqualTo("unpin: over");
    assertThat(cli.run("unpin", "pinned")).isZero();
    assertThat(cli.out()).contains("pinned v1 is not pinned; nothing published");

    assertThat(trainer.promote(better, false, "trainer").promoted()).isTrue();
    assertDeployed("pinned", "2", false, "1");
    assertThat(deployment("pinned").getReason())
        .isEqualTo("promote: validation_accuracy 0.9900 >= 0.5000 of v1");
  }

  private static ModelDeployment deployment(String model) throws Exception {
    return cli.catalog().deployment(model).orElseThrow();
  }

  private static void assertDeployed(
      String model, String version, boolean pinned, String... history) throws Exception {
    ModelDeployment d = deployment(model);
    assertThat(d.getVersion()).isEqualTo(version);
    assertThat(d.getPinned()).isEqualTo(pinned);
    assertThat(d.getHistory().stream().map(DeploymentHistoryEntry::getVersion))
        .containsExactly(history);
    assertThat(d.getArtifactUri())
        .isEqualTo(cli.store().resolve(model + "/" + version).toUri().toString());
  }
}
