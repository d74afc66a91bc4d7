package io.glimpse.lifecycle;

import io.glimpse.schemas.avro.ModelComparison;
import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.avro.ModelVersion;

/**
 * Decides whether a new version may replace the serving one: only when {@link PromotionGate} lets
 * it through (a comparison on real traffic when one exists for the pair, else validation accuracy
 * at least the serving version's), unless forced. A model with nothing deployed always gets its
 * first version. A pinned deployment is never replaced, forced or not: an operator pinned it on
 * purpose, and only an operator lifts the pin ({@code glimpse models unpin}).
 */
final class PromotionPolicy {

  private PromotionPolicy() {}

  /** Decides on validation accuracy alone (no comparison), with the default gate. */
  static PromotionDecision decide(
      ModelVersion candidate, ModelDeployment deployment, ModelVersion serving, boolean force) {
    return decide(candidate, deployment, serving, null, PromotionGate.defaults(), force);
  }

  /**
   * Decides.
   *
   * @param candidate the new version
   * @param deployment what the model serves now, or null
   * @param serving the serving version's {@code model-versions} record, or null when not found
   * @param comparison the candidate's comparison with the serving version, or null when none
   * @param gate the rule the candidate must meet
   * @param force promote whatever the comparison says (but never over a pin)
   */
  static PromotionDecision decide(
      ModelVersion candidate,
      ModelDeployment deployment,
      ModelVersion serving,
      ModelComparison comparison,
      PromotionGate gate,
      boolean force) {
    if (deployment == null) {
      return new PromotionDecision(
          true,
          "nothing of " + candidate.getModelName() + " was deployed yet",
          null,
          null,
          PromotionGate.validationAccuracy(candidate));
    }
    String servingVersion = deployment.getVersion();
    PromotionGate.Verdict verdict =
        comparison != null
            ? gate.judge(
                candidate.getModelName(), candidate.getVersion(), servingVersion, comparison)
            : gate.judgeValidation(candidate, servingVersion, serving);
    Double theirs = verdict.servingAccuracy();
    Double mine = verdict.candidateAccuracy();
    if (servingVersion.equals(candidate.getVersion())) {
      return new PromotionDecision(
          false, "v" + servingVersion + " is already deployed", servingVersion, theirs, mine);
    }
    if (deployment.getPinned()) {
      return new PromotionDecision(
          false,
          DeploymentRecords.pinDescription(deployment)
              + "; promotion leaves a pin in place, forced or not: unpin it first (glimpse"
              + " models unpin "
              + deployment.getModelName()
              + ")",
          servingVersion,
          theirs,
          mine);
    }
    if (verdict.passed() || force) {
      return new PromotionDecision(
          true,
          (verdict.passed() ? "" : "forced: ") + verdict.reason(),
          servingVersion,
          theirs,
          mine);
    }
    return new PromotionDecision(false, verdict.reason(), servingVersion, theirs, mine);
  }
}
