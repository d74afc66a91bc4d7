package io.glimpse.ops.cli.models;

import io.glimpse.lifecycle.DeploymentRefusedException;
import io.glimpse.lifecycle.ModelDeployer;
import io.glimpse.lifecycle.ModelDeployer.DeploymentChange;
import io.glimpse.lifecycle.PromotionGate;
import io.glimpse.lifecycle.PublishException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code glimpse models promote <name> <version>}: see {@link ModelDeployer#promote}. */
@Command(
    name = "promote",
    mixinStandardHelpOptions = true,
    description =
        "Deploy a registered version on model-deployments; the current deployment goes into"
            + " its history (what rollback returns to). Refused while the model is pinned."
            + " With --if-better, only when its comparison with the serving version (glimpse"
            + " models compare) passes the gate; otherwise nothing changes.")
final class PromoteCommand extends DeploymentChangeCommand.OfVersion {
  @Option(
      names = "--if-better",
      description =
          "Promote only if the latest comparison with the serving version holds --min-images"
              + " images and the candidate is at least as accurate (without labels: agrees on"
              + " --min-agreement of them, no less confident).")
  private boolean ifBetter;

  @Option(
      names = "--min-images",
      paramLabel = "<n>",
      defaultValue = "" + PromotionGate.DEFAULT_MIN_IMAGES,
      description =
          "With --if-better: images the comparison must hold (default: ${DEFAULT-VALUE}).")
  private int minImages;

  @Option(
      names = "--min-agreement",
      paramLabel = "<fraction>",
      defaultValue = "" + PromotionGate.DEFAULT_MIN_AGREEMENT,
      description =
          "With --if-better and no labels: top-1 agreement needed (default: ${DEFAULT-VALUE}).")
  private double minAgreement;

  @Override
  DeploymentChange change(ModelDeployer deployer, String operator)
      throws DeploymentRefusedException, PublishException {
    if (ifBetter) {
      PromotionGate gate = new PromotionGate(minImages, minAgreement);
      return deployer.promoteIfBetter(name, version, gate, reason, operator);
    }
    return deployer.promote(name, version, reason, operator);
  }
}
