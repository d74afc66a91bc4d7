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

/** {@code glimpse models promote <name> <version>}: see {@link ModelDeployer#promote}. */
@Command(
    name = "promote",
    mixinStandardHelpOptions = true,
    description =
        "Deploy a registered version on model-deployments; the current deployment goes into"
            + " its history (what rollback returns to). Refused while the model is pinned.")
final class PromoteCommand implements Callable<Integer> {
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
        spec, json, "promote", deployer.promote(name, version, reason, ModelsCommand.operator()));
    return 0;
  }
}
