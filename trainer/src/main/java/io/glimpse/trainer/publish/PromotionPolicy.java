package io.glimpse.trainer.publish;

import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.avro.ModelVersion;

/**
 * Decides whether a new version may replace the serving one: only when its validation accuracy is
 * at least the serving version's, unless forced. A model with nothing deployed always gets its
 * first version. A pinned deployment is never replaced, forced or not: an operator pinned it on
 * purpose, and only an operator lifts the pin ({@code glimpse models unpin}).
 */
final class PromotionPolicy {

  private PromotionPolicy() {}

  /**
   * Decides.
   *
   * @param candidate the new version
   * @param deployment what the model serves now, or null
   * @param serving the serving version's {@code model-versions} record, or null when not found
   * @param force promote whatever the comparison says (but never over a pin)
   */
  static PromotionDecision decide(
      ModelVersion candidate, ModelDeployment deployment, ModelVersion serving, boolean force) {
    Double mine = accuracy(candidate);
    if (deployment == null) {
      return new PromotionDecision(
          true, "nothing of " + candidate.getModelName() + " was deployed yet", null, null, mine);
    }
    String servingVersion = deployment.getVersion();
    Double theirs = serving == null ? null : accuracy(serving);
    String why = comparison(mine, theirs, servingVersion, serving == null);
    boolean better = mine != null && (serving != null && (theirs == null || mine >= theirs));
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
    if (better || force) {
      return new PromotionDecision(
          true, (better ? "" : "forced: ") + why, servingVersion, theirs, mine);
    }
    return new PromotionDecision(false, why, servingVersion, theirs, mine);
  }

  private static String comparison(
      Double mine, Double theirs, String servingVersion, boolean servingMissing) {
    String metric = ModelVersions.VALIDATION_ACCURACY;
    if (servingMissing) {
      return "the serving v" + servingVersion + " is not on model-versions, nothing to compare";
    }
    if (mine == null) {
      return "the new version has no " + metric + " to compare with v" + servingVersion;
    }
    if (theirs == null) {
      return "the serving v" + servingVersion + " has no " + metric + "; the new version has one";
    }
    return String.format(
        "%s %.4f %s %.4f of v%s",
        metric, mine, mine >= theirs ? ">=" : "<", theirs, servingVersion);
  }

  private static Double accuracy(ModelVersion version) {
    return version.getMetrics() == null
        ? null
        : version.getMetrics().get(ModelVersions.VALIDATION_ACCURACY);
  }
}
