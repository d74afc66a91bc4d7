package io.glimpse.lifecycle;

import static io.glimpse.lifecycle.PromotionPolicyTest.deployed;
import static io.glimpse.lifecycle.PromotionPolicyTest.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glimpse.schemas.avro.LatencyPercentiles;
import io.glimpse.schemas.avro.ModelComparison;
import io.glimpse.schemas.avro.ModelVersion;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromotionGateTest {
  private final PromotionGate gate = new PromotionGate(500, 0.9);

  @Test
  void withoutAComparisonTheGateRefusesAndSaysWhatToRun() {
    PromotionGate.Verdict v = gate.judge("fashion", "2", "1", null);
    assertThat(v.passed()).isFalse();
    assertThat(v.reason())
        .isEqualTo(
            "no comparison of v2 with the serving v1 on model-comparisons; shadow or evaluate v2,"
                + " then run glimpse models compare fashion 2");
  }

  @Test
  void tooFewImagesAreRefusedWhateverTheAccuracy() {
    PromotionGate.Verdict v = gate.judge("fashion", "2", "1", labelled(499, 0.99, 0.10));
    assertThat(v.passed()).isFalse();
    assertThat(v.reason()).startsWith("only 499 images compared, the gate needs 500");
  }

  @Test
  void withLabelsTheCandidateMustBeAtLeastAsAccurate() {
    PromotionGate.Verdict better = gate.judge("fashion", "2", "1", labelled(500, 0.81, 0.63));
    assertThat(better.passed()).isTrue();
    assertThat(better.reason())
        .isEqualTo("accuracy 0.8100 >= 0.6300 of v1 over 500 labelled images (agreement 0.7000)");
    assertThat(gate.judge("fashion", "2", "1", labelled(500, 0.63, 0.63)).passed()).isTrue();
    PromotionGate.Verdict worse = gate.judge("fashion", "2", "1", labelled(800, 0.62, 0.63));
    assertThat(worse.passed()).isFalse();
    assertThat(worse.reason()).startsWith("accuracy 0.6200 < 0.6300 of v1");
    assertThat(worse.candidateAccuracy()).isEqualTo(0.62);
  }

  @Test
  void withoutLabelsAgreementAndConfidenceDecide() {
    assertThat(gate.judge("fashion", "2", "1", unlabelled(0.95, 0.80, 0.70)).passed()).isTrue();
    PromotionGate.Verdict disagrees = gate.judge("fashion", "2", "1", unlabelled(0.85, 0.8, 0.7));
    assertThat(disagrees.passed()).isFalse();
    assertThat(disagrees.reason())
        .isEqualTo(
            "fewer than 500 labelled images: agreement 0.8500 < 0.9000 and mean confidence 0.8000"
                + " >= 0.7000 of v1 over 1000 images");
    assertThat(gate.judge("fashion", "2", "1", unlabelled(0.99, 0.6, 0.7)).passed()).isFalse();
  }

  @Test
  void theTrainersPromotionUsesAComparisonWhenThereIsOne() throws Exception {
    ModelVersion serving = version("1", 0.90);
    ModelVersion candidate = version("2", 0.95); // better offline ...
    PromotionDecision d =
        PromotionPolicy.decide(
            candidate, deployed(serving), serving, labelled(1000, 0.60, 0.70), gate, false);
    assertThat(d.promoted()).isFalse(); // ... but worse on real traffic
    assertThat(d.reason()).startsWith("accuracy 0.6000 < 0.7000 of v1");
    assertThat(
            PromotionPolicy.decide(candidate, deployed(serving), serving, null, gate, false)
                .promoted())
        .isTrue();
  }

  @Test
  void aBadPolicyIsRefusedAtConstruction() {
    assertThatThrownBy(() -> new PromotionGate(0, 0.9)).hasMessageContaining("at least 1 image");
    assertThatThrownBy(() -> new PromotionGate(10, 1.5)).hasMessageContaining("[0, 1]");
  }

  private static ModelComparison labelled(long images, double mine, double theirs) {
    return comparison(images, images, mine, theirs, 0.7, 0.8, 0.7);
  }

  private static ModelComparison unlabelled(double agreement, double sure, double theirSure) {
    return comparison(1000, 0, null, null, agreement, sure, theirSure);
  }

  private static ModelComparison comparison(
      long images,
      long labelled,
      Double mine,
      Double theirs,
      double agreement,
      double sure,
      double theirSure) {
    LatencyPercentiles latency = new LatencyPercentiles(1L, 2L, 3L, 4L);
    return ModelComparison.newBuilder()
        .setModelName("fashion")
        .setCandidateVersion("2")
        .setBaselineVersion("1")
        .setImagesCompared(images)
        .setAgreement(agreement)
        .setLabelledImages(labelled)
        .setCandidateAccuracy(mine)
        .setBaselineAccuracy(theirs)
        .setCandidateMeanConfidence(sure)
        .setBaselineMeanConfidence(theirSure)
        .setFlips(List.of())
        .setCandidateLatency(latency)
        .setBaselineLatency(latency)
        .setCandidateDeadLetters(0)
        .setBaselineDeadLetters(0)
        .setCandidateOnly(0)
        .setComparedTime(Instant.now())
        .build();
  }
}
