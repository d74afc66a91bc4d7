package io.glimpse.ops.cli.models;

import io.glimpse.lifecycle.DeploymentRefusedException;
import io.glimpse.lifecycle.ModelDeployer;
import io.glimpse.lifecycle.ModelDeployer.DeploymentChange;
import io.glimpse.lifecycle.PublishException;
import io.glimpse.model.store.ModelStoreException;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What {@code promote}, {@code pin}, {@code rollback} and {@code unpin} share: the connection, the
 * model name, {@code --reason} and {@code --json}; each subcommand says only which change of {@link
 * ModelDeployer} it makes.
 */
abstract class DeploymentChangeCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "<name>", description = "The model name.")
  String name;

  @Option(
      names = "--reason",
      paramLabel = "<text>",
      description = "Why, recorded in the deployment (and its history).")
  String reason;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  private boolean json;

  /** The change this command makes, by {@code operator}. */
  abstract DeploymentChange change(ModelDeployer deployer, String operator)
      throws DeploymentRefusedException, PublishException;

  @Override
  public Integer call()
      throws IOException, ModelStoreException, DeploymentRefusedException, PublishException {
    ModelDeployer deployer = new ModelDeployer(connection.kafka(), connection.modelStore());
    ChangeReport.print(spec, json, spec.name(), change(deployer, ModelsCommand.operator()));
    return 0;
  }

  /** {@code promote} and {@code pin} also name the version. */
  abstract static class OfVersion extends DeploymentChangeCommand {
    @Parameters(
        index = "1",
        paramLabel = "<version>",
        description = "A version registered for it on model-versions, its artifact in the store.")
    String version;
  }
}
