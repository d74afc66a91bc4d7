package io.glimpse.ops.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code glimpse demo}: the end-to-end demo. For now it runs the embedded stack only; the pipeline
 * joins it once it exists.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run the demo: the embedded stack (the pipeline is not built yet).")
public final class DemoCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private StackOptions stackOptions;

  @Option(
      names = "--duration",
      paramLabel = "<seconds>",
      defaultValue = "0",
      description =
          "Stop after this many seconds; 0 = run until Ctrl-C (default: ${DEFAULT-VALUE}).")
  private long durationSeconds;

  @Override
  public Integer call() throws InterruptedException {
    if (durationSeconds < 0) {
      throw new ParameterException(spec.commandLine(), "--duration must be 0 or more seconds.");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (RunningStack stack = RunningStack.start(stackOptions, out)) {
      out.println("Glimpse demo: the image pipeline is not built yet; only the stack runs.");
      out.println("Stack is up: " + stack.describe());
      out.println(
          durationSeconds == 0
              ? "Press Ctrl-C to stop."
              : "Stopping in " + durationSeconds + " s (--duration).");
      out.flush();
      stack.await(Duration.ofSeconds(durationSeconds));
    }
    out.println("Stack stopped.");
    return 0;
  }
}
