package io.glimpse.ops.cli.models;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code glimpse models}: the model lifecycle on Kafka and the model store. Each subcommand is its
 * own class; they share {@link ConnectionOptions}.
 */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = {
      "Register, list, promote, roll back and pin model versions; see what pipelines serve;"
          + " try a version first (shadow, evaluate, compare, promote --if-better).",
      "Versions live in the model store and on model-versions; what to serve is on"
          + " model-deployments (with its history and pin); pipelines report on"
          + " model-serving-status."
    },
    subcommands = {
      ListCommand.class,
      ShowCommand.class,
      RegisterCommand.class,
      PromoteCommand.class,
      RollbackCommand.class,
      PinCommand.class,
      UnpinCommand.class,
      StatusCommand.class,
      ShadowCommand.class,
      EvaluateCommand.class,
      CompareCommand.class
    })
public final class ModelsCommand implements Runnable {
  @Spec private CommandSpec spec;

  /** Called without a subcommand: a usage error. */
  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "Missing command: choose list, show, register, promote, rollback, pin, unpin, status,"
            + " shadow, evaluate or compare.");
  }

  /** Recorded as {@code deployedBy}: the user, and that it came from this command line. */
  static String operator() {
    return System.getProperty("user.name", "unknown") + " (glimpse models)";
  }
}
