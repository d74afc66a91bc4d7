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

/** {@code glimpse models pin <name> <version>}: see {@link ModelDeployer#pin}. */
@Command(
    name = "pin",
    mixinStandardHelpOptions = true,
    description =
        "Deploy a registered version and pin it (or pin the deployed one): the trainer's automatic"
            + " promotion, promote and rollback leave it in place until unpin, or another pin.")
final class PinCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "<name>", description = "The model name.")
  private String name;

  @Parameters(
      index = "1",
      paramLabel = "<version>",
      description = "A version registered for it on model-versions, its artifact in the store.")
  private String version;

  @Option(
      names = "--reason",
      paramLabel = "<text>",
      description = "Why, recorded in the deployment and its history.")
  private String reason;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  private boolean json;

  @Override
  public Integer call()
      throws IOException, ModelStoreException, DeploymentRefusedException, PublishException {
    ModelDeployer deployer = new ModelDeployer(connection.kafka(), connection.modelStore());
    ChangeReport.print(
        spec, json, "pin", deployer.pin(name, version, reason, ModelsCommand.operator()));
    return 0;
  }
}
