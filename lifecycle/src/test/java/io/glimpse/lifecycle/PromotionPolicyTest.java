package io.glimpse.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.schemas.avro.InputShape;
import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.avro.ModelFormat;
import io.glimpse.schemas.avro.ModelVersion;
import io.glimpse.schemas.avro.Normalization;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromotionPolicyTest {

  @Test
  void theFirstVersionIsAlwaysPromoted() {
    PromotionDecision d = PromotionPolicy.decide(version("1", 0.5), null, null, false);
    assertThat(d.promoted()).isTrue();
    assertThat(d.servingVersion()).isNull();
  }

  @Test
  void anEqualOrBetterVersionIsPromotedAndAWorseOneIsNot() throws Exception {
    ModelVersion serving = version("1", 0.90);
    ModelDeployment deployed = deployed(serving);

    assertThat(PromotionPolicy.decide(version("2", 0.90), deployed, serving, false).promoted())
        .isTrue();
    PromotionDecision worse = PromotionPolicy.decide(version("3", 0.89), deployed, serving, false);
    assertThat(worse.promoted()).isFalse();
    assertThat(worse.reason()).isEqualTo("validation_accuracy 0.8900 < 0.9000 of v1");
    assertThat(worse.servingAccuracy()).isEqualTo(0.90);

    PromotionDecision forced = PromotionPolicy.decide(version("3", 0.89), deployed, serving, true);
    assertThat(forced.promoted()).isTrue();
    assertThat(forced.reason()).startsWith("forced: ");
  }

  @Test
  void withoutTheServingVersionsRecordOnlyForceDeploys() throws Exception {
    ModelDeployment deployed = deployed(version("1", 0.9));
    assertThat(PromotionPolicy.decide(version("2", 0.95), deployed, null, false).promoted())
        .isFalse();
    assertThat(PromotionPolicy.decide(version("2", 0.95), deployed, null, true).promoted())
        .isTrue();
  }

  @Test
  void theServingVersionIsNotDeployedAgain() throws Exception {
    ModelVersion serving = version("1", 0.9);
    ModelDeployment deployed = deployed(serving);
    assertThat(PromotionPolicy.decide(serving, deployed, serving, true).promoted()).isFalse();
  }

  @Test
  void aPinnedDeploymentIsNeverReplacedEvenWhenForced() throws Exception {
    ModelVersion serving = version("1", 0.80);
    ModelDeployment pinned =
        DeploymentRecords.pin(null, serving, "incident 42", "alice", Instant.now()).orElseThrow();

    for (boolean force : new boolean[] {false, true}) {
      PromotionDecision d = PromotionPolicy.decide(version("2", 0.99), pinned, serving, force);
      assertThat(d.promoted()).as("force=%s", force).isFalse();
      assertThat(d.reason())
          .matches(
              "fashion v1 is pinned since \\S+Z by alice: \"pin: incident 42\"; promotion leaves a"
                  + " pin in place, forced or not: unpin it first \\(glimpse models unpin fashion\\)");
    }
  }

  static ModelDeployment deployed(ModelVersion version) throws Exception {
    return DeploymentRecords.promote(null, version, "test", null, Instant.now()).orElseThrow();
  }

  static ModelVersion version(String version, double accuracy) {
    return ModelVersion.newBuilder()
        .setModelName("fashion")
        .setVersion(version)
        .setArtifactUri("file:///store/fashion/" + version + "/")
        .setSha256("0".repeat(64))
        .setFormat(ModelFormat.DJL)
        .setArchitecture("mobilenet_v1")
        .setWidthMultiplier(0.5f)
        .setInputShape(new InputShape(1, 32, 32))
        .setNormalization(new Normalization(List.of(0.3f), List.of(0.3f)))
        .setLabels(List.of("a", "b"))
        .setMetrics(Map.of("validation_accuracy", accuracy))
        .setCreatedTime(Instant.now())
        .build();
  }
}
