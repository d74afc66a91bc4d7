package io.glimpse.ops.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * One in-process run of the CLI, the way {@code main} runs it, keeping what it printed; {@link #on}
 * adds the flags that point a client command at a stack.
 *
 * @param code the exit code
 * @param out what it printed on stdout
 * @param err what it printed on stderr
 */
record CliRun(int code, String out, String err) {

  /** Runs the command line as it is. */
  static CliRun run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = GlimpseCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** Runs {@code args} with {@code --bootstrap-servers} and {@code --schema-registry-url}. */
  static CliRun on(String bootstrapServers, String registryUrl, String... args) {
    List<String> line = new ArrayList<>(List.of(args));
    line.addAll(
        List.of("--bootstrap-servers", bootstrapServers, "--schema-registry-url", registryUrl));
    return run(line.toArray(String[]::new));
  }

  /** What it printed, for assertion messages. */
  String printed() {
    return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
