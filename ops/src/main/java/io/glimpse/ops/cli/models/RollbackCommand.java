package io.glimpse.ops.cli.models;

import io.glimpse.lifecycle.DeploymentRefusedException;
import io.glimpse.lifecycle.ModelDeployer;
import io.glimpse.lifecycle.ModelDeployer.DeploymentChange;
import io.glimpse.lifecycle.PublishException;
import picocli.CommandLine.Command;

/** {@code glimpse models rollback <name>}: see {@link ModelDeployer#rollback}. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description =
        "Redeploy the version deployed before the current one (the first entry of the"
            + " deployment's history); the history loses that entry. Refused while pinned.")
final class RollbackCommand extends DeploymentChangeCommand {
  @Override
  DeploymentChange change(ModelDeployer deployer, String operator)
      throws DeploymentRefusedException, PublishException {
    return deployer.rollback(name, reason, operator);
  }
}
