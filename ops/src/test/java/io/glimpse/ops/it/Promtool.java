package io.glimpse.ops.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's {@code promtool}, which checks Prometheus configurations and rule files. */
final class Promtool {
  static final Path BINARY = Path.of("/usr/bin/promtool");

  private Promtool() {}

  /**
   * Runs {@code promtool args...} and returns its output.
   *
   * @throws AssertionError when it exits with anything but 0; the message quotes its output
   */
  static String run(String... args) {
    String command = "promtool " + String.join(" ", args);
    ProcessBuilder builder = new ProcessBuilder(BINARY.toString());
    builder.command().addAll(List.of(args));
    builder.redirectErrorStream(true);
    try {
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(command + " did not finish:\n" + output);
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(command + " exited " + process.exitValue() + ":\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(command + " interrupted", e);
    }
  }
}
