package io.glimpse.ops.cli.models;

import io.glimpse.model.store.ModelStoreException;
import io.glimpse.trainer.publish.DeploymentRefusedException;
import io.glimpse.trainer.publish.ModelDeployer;
import io.glimpse.trainer.publish.PublishException;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code glimpse models rollback <name>}: see {@link ModelDeployer#rollback}. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description =
        "Redeploy the version deployed before the current one (the first entry of the"
            + " deployment's history); the history loses that entry. Refused while pinned.")
final class RollbackCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "<name>", description = "The model name.")
  private String name;

  @Option(
      names = "--reason",
      paramLabel = "<text>",
      description = "Why, recorded in the deployment.")
  private String reason;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  private boolean json;

  @Override
  public Integer call()
      throws IOException, ModelStoreException, DeploymentRefusedException, PublishException {
    ModelDeployer deployer = new ModelDeployer(connection.kafka(), connection.modelStore());
    ChangeReport.print(
        spec, json, "rollback", deployer.rollback(name, reason, ModelsCommand.operator()));
    return 0;
  }
}
