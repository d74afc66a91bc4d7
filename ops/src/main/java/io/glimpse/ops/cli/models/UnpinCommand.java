package io.glimpse.ops.cli.models;

import io.glimpse.lifecycle.DeploymentRefusedException;
import io.glimpse.lifecycle.ModelDeployer;
import io.glimpse.lifecycle.ModelDeployer.DeploymentChange;
import io.glimpse.lifecycle.PublishException;
import picocli.CommandLine.Command;

/** {@code glimpse models unpin <name>}: see {@link ModelDeployer#unpin}. */
@Command(
    name = "unpin",
    mixinStandardHelpOptions = true,
    description =
        "Lift the pin: republish the current deployment (same version, artifact and history)"
            + " unpinned, so promotion and rollback may replace it again.")
final class UnpinCommand extends DeploymentChangeCommand {
  @Override
  DeploymentChange change(ModelDeployer deployer, String operator)
      throws DeploymentRefusedException, PublishException {
    return deployer.unpin(name, reason, operator);
  }
}
