package io.glimpse.lifecycle;

import static io.glimpse.lifecycle.PromotionPolicyTest.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glimpse.schemas.avro.DeploymentHistoryEntry;
import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.avro.ModelVersion;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeploymentRecordsTest {

  private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

  @Test
  void promotePutsTheReplacedDeploymentInFrontOfTheHistory() throws Exception {
    ModelDeployment first = promote(null, "1");
    ModelDeployment second = promote(first, "2");
    ModelDeployment third = promote(second, "3");

    assertThat(first.getHistory()).isEmpty();
    assertThat(versions(third.getHistory())).containsExactly("2", "1");
    assertThat(third.getHistory().get(0).getReason()).isEqualTo("promote: step 2");
    assertThat(third.getReason()).isEqualTo("promote: step 3");
    assertThat(third.getArtifactUri()).isEqualTo("file:///store/fashion/3/");
    assertThat(third.getPinned()).isFalse();
  }

  @Test
  void promotingTheDeployedVersionChangesNothing() throws Exception {
    ModelDeployment first = promote(null, "1");
    assertThat(DeploymentRecords.promote(first, version("1", 0.9), "again", null, T0)).isEmpty();
  }

  @Test
  void theHistoryKeepsTheNewestTwenty() throws Exception {
    ModelDeployment current = promote(null, "0");
    for (int v = 1; v <= 30; v++) {
      current = promote(current, Integer.toString(v));
    }
    assertThat(current.getHistory()).hasSize(DeploymentRecords.MAX_HISTORY);
    assertThat(current.getHistory().get(0).getVersion()).isEqualTo("29");
    assertThat(current.getHistory().get(19).getVersion()).isEqualTo("10");
  }

  @Test
  void rollbackReturnsToTheFirstEntryAndDropsIt() throws Exception {
    ModelDeployment third = promote(promote(promote(null, "1"), "2"), "3");

    ModelDeployment back = DeploymentRecords.rollback(third, "bad latency", "bob", T0);
    assertThat(back.getVersion()).isEqualTo("2");
    assertThat(back.getArtifactUri()).isEqualTo("file:///store/fashion/2/");
    assertThat(versions(back.getHistory())).containsExactly("1");
    assertThat(back.getReason()).isEqualTo("rollback from v3: bad latency");
    assertThat(back.getDeployedBy()).isEqualTo("bob");

    ModelDeployment first = DeploymentRecords.rollback(back, null, null, T0);
    assertThat(first.getVersion()).isEqualTo("1");
    assertThat(first.getHistory()).isEmpty();
    assertThatThrownBy(() -> DeploymentRecords.rollback(first, null, null, T0))
        .isInstanceOf(DeploymentRefusedException.class)
        .hasMessageContaining("fashion v1 has no earlier deployment to roll back to");
    assertThatThrownBy(() -> DeploymentRecords.rollback(null, null, null, T0))
        .hasMessageContaining("nothing is deployed");
  }

  @Test
  void aPinIsReplacedOnlyByAnotherPinOrLiftedByUnpin() throws Exception {
    ModelDeployment first = promote(null, "1");
    ModelDeployment second = promote(first, "2");
    ModelDeployment pinned =
        DeploymentRecords.pin(second, version("2", 0.9), "incident", "alice", T0).orElseThrow();

    assertThat(pinned.getPinned()).isTrue();
    assertThat(pinned.getVersion()).isEqualTo("2");
    assertThat(versions(pinned.getHistory())).containsExactly("1"); // same version: same history
    assertThat(DeploymentRecords.pin(pinned, version("2", 0.9), "again", null, T0)).isEmpty();
    assertThatThrownBy(() -> DeploymentRecords.promote(pinned, version("3", 0.9), null, null, T0))
        .isInstanceOf(DeploymentRefusedException.class)
        .hasMessageContaining(
            "cannot promote fashion v3: fashion v2 is pinned since 2026-11-29T10:00:00Z by alice:"
                + " \"pin: incident\"")
        .hasMessageContaining("glimpse models unpin fashion");
    assertThatThrownBy(() -> DeploymentRecords.rollback(pinned, null, null, T0))
        .isInstanceOf(DeploymentRefusedException.class);

    ModelDeployment other =
        DeploymentRecords.pin(pinned, version("3", 0.9), null, null, T0).orElseThrow();
    assertThat(other.getPinned()).isTrue();
    assertThat(versions(other.getHistory())).containsExactly("2", "1");

    ModelDeployment unpinned = DeploymentRecords.unpin(other, "over", null, T0).orElseThrow();
    assertThat(unpinned.getPinned()).isFalse();
    assertThat(unpinned.getVersion()).isEqualTo("3");
    assertThat(unpinned.getReason()).isEqualTo("unpin: over");
    assertThat(versions(unpinned.getHistory())).containsExactly("2", "1");
    assertThat(DeploymentRecords.unpin(unpinned, null, null, T0)).isEmpty();
    assertThat(DeploymentRecords.rollback(unpinned, null, null, T0).getVersion()).isEqualTo("2");
  }

  @Test
  void aDeploymentIsNotFollowedByAnotherModelsVersion() throws Exception {
    ModelDeployment first = promote(null, "1");
    ModelVersion other = ModelVersion.newBuilder(version("2", 0.9)).setModelName("shapes").build();
    assertThatThrownBy(() -> DeploymentRecords.promote(first, other, null, null, T0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static ModelDeployment promote(ModelDeployment current, String v) throws Exception {
    return DeploymentRecords.promote(current, version(v, 0.9), "step " + v, "test", T0)
        .orElseThrow();
  }

  private static List<String> versions(List<DeploymentHistoryEntry> history) {
    return history.stream().map(DeploymentHistoryEntry::getVersion).toList();
  }
}
