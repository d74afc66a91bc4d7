package io.glimpse.ops.cli.models;

import io.glimpse.trainer.publish.DeploymentRefusedException;
import io.glimpse.trainer.publish.ModelDeployer;
import io.glimpse.trainer.publish.ModelDeployer.DeploymentChange;
import io.glimpse.trainer.publish.PublishException;
import picocli.CommandLine.Command;

/** {@code glimpse models promote <name> <version>}: see {@link ModelDeployer#promote}. */
@Command(
    name = "promote",
    mixinStandardHelpOptions = true,
    description =
        "Deploy a registered version on model-deployments; the current deployment goes into"
            + " its history (what rollback returns to). Refused while the model is pinned.")
final class PromoteCommand extends DeploymentChangeCommand.OfVersion {
  @Override
  DeploymentChange change(ModelDeployer deployer, String operator)
      throws DeploymentRefusedException, PublishException {
    return deployer.promote(name, version, reason, operator);
  }
}
