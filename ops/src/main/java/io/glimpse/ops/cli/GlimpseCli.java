package io.glimpse.ops.cli;

import io.glimpse.ops.cli.models.ModelsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code glimpse} command: a thin entry point that dispatches to its subcommands. */
@Command(
    name = "glimpse",
    mixinStandardHelpOptions = true,
    versionProvider = GlimpseVersion.class,
    description = "Real-time image classification on Kafka.",
    subcommands = {
      UpCommand.class,
      PublishCommand.class,
      LabelCommand.class,
      TailCommand.class,
      StackCommand.class,
      DemoCommand.class,
      PipelineCommand.class,
      TrainCommand.class,
      RetrainCommand.class,
      ModelsCommand.class,
      BenchCommand.class
    })
public final class GlimpseCli implements Runnable {
  @Spec private CommandSpec spec;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Print the stack trace when a command fails.")
  private boolean verbose;

  /** Runs the command line and exits with its code (0 ok, 1 failure, 2 usage error). */
  public static void main(String[] args) {
    // Our shutdown hook stops Kafka, which logs while stopping; log4j's own hook would stop
    // logging first. The console appender needs no flushing at exit.
    System.setProperty("log4j2.shutdownHookEnabled", "false");
    System.exit(newCommandLine().execute(args));
  }

  /** The configured command line: {@code main} and tests run the same one. */
  public static CommandLine newCommandLine() {
    return new CommandLine(new GlimpseCli()).setExecutionExceptionHandler(new FailureReporter());
  }

  /** Called without a subcommand: a usage error. */
  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "Missing command: choose up, publish, tail, demo, stack, pipeline, train, models or bench.");
  }
}
