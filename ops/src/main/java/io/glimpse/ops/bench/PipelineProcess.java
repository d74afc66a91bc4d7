package io.glimpse.ops.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code glimpse pipeline} in a process of its own, as deployed: the same Java and class path
 * as this process, the settings as {@code --set key=value}, its output in a log file; stopped with
 * SIGTERM, so it commits and leaves its group as a rolled pod would.
 */
final class PipelineProcess implements AutoCloseable {
  private static final String CLI = "io.glimpse.ops.cli.GlimpseCli";

  private final String instance;
  private final Process process;
  private final Path log;

  private PipelineProcess(String instance, Process process, Path log) {
    this.instance = instance;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts a pipeline process.
   *
   * @param instance its {@code glimpse.instance.id}, for the report
   * @param settings every setting, passed as {@code --set}
   * @param log where its standard output and error go
   */
  static PipelineProcess start(String instance, Map<String, Object> settings, Path log) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Dai.djl.offline=true");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(CLI);
    command.add("pipeline");
    settings.forEach(
        (key, value) -> {
          command.add("--set");
          command.add(key + "=" + value);
        });
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new PipelineProcess(instance, process, log);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start a pipeline process: " + e.getMessage(), e);
    }
  }

  String instance() {
    return instance;
  }

  /** CPU time the process has used so far, user and system, in seconds. */
  double cpuSeconds() {
    return process.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
  }

  /** Throws, naming the log, if the process has ended. */
  void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "Pipeline process " + instance + " exited with " + process.exitValue() + "; see " + log);
    }
  }

  /** SIGTERM, then waits for the graceful shutdown; SIGKILL after {@code timeout}. */
  void stop(Duration timeout) throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    try {
      stop(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
