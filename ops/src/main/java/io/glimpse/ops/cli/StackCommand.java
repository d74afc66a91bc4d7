package io.glimpse.ops.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code glimpse stack}: runs the embedded Kafka stack until Ctrl-C or SIGTERM. */
@Command(
    name = "stack",
    mixinStandardHelpOptions = true,
    description = "Run the embedded Kafka stack until Ctrl-C or SIGTERM.")
public final class StackCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private StackOptions stackOptions;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    try (RunningStack stack = RunningStack.start(stackOptions, out)) {
      out.println("Glimpse stack is up: " + stack.describe());
      out.println("Press Ctrl-C to stop.");
      out.flush();
      stack.await(Duration.ZERO);
    }
    return 0;
  }
}
