package io.glimpse.ops.cli.models;

import io.glimpse.lifecycle.DeploymentRefusedException;
import io.glimpse.lifecycle.ModelDeployer;
import io.glimpse.lifecycle.ModelDeployer.DeploymentChange;
import io.glimpse.lifecycle.PublishException;
import picocli.CommandLine.Command;

/** {@code glimpse models pin <name> <version>}: see {@link ModelDeployer#pin}. */
@Command(
    name = "pin",
    mixinStandardHelpOptions = true,
    description =
        "Deploy a registered version and pin it (or pin the deployed one): the trainer's automatic"
            + " promotion, promote and rollback leave it in place until unpin, or another pin.")
final class PinCommand extends DeploymentChangeCommand.OfVersion {
  @Override
  DeploymentChange change(ModelDeployer deployer, String operator)
      throws DeploymentRefusedException, PublishException {
    return deployer.pin(name, version, reason, operator);
  }
}
