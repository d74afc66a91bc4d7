package io.glimpse.ops.it;

import io.glimpse.ops.cli.GlimpseCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code glimpse pipeline} in a child JVM, on this test's classpath, as an operator runs it: DJL
 * offline, tcmalloc preloaded when installed, every setting passed with {@code --set}. Its output
 * goes to a log file that assertion messages quote. {@link #kill()} is SIGKILL: no shutdown hook,
 * no commit, no LeaveGroup.
 */
final class PipelineProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineProcess.class);
  private static final Path TCMALLOC =
      Path.of("/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4");
  private static final Pattern HTTP_PORT = Pattern.compile("metrics and health on port (-?\\d+)");
  private static final int LOG_TAIL_CHARS = 6_000;

  private final String name;
  private final Process process;
  private final Path logFile;
  private final long startedNanos = System.nanoTime();
  private int httpPort = -1;

  private PipelineProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
  }

  /** Starts {@code glimpse pipeline --set k=v ...}, its output appended to {@code logFile}. */
  static PipelineProcess start(String name, Map<String, String> settings, Path logFile) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx512m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dai.djl.offline=true",
            "-Dai.djl.pytorch.num_threads=1",
            "-cp",
            System.getProperty("java.class.path"),
            GlimpseCli.class.getName(),
            "pipeline"));
    settings.forEach((key, value) -> command.addAll(List.of("--set", key + "=" + value)));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(Redirect.appendTo(logFile.toFile()));
    builder.environment().put("OPT_OUT_TRACKING", "true");
    if (Files.isReadable(TCMALLOC)) {
      builder.environment().put("LD_PRELOAD", TCMALLOC.toString());
      builder.environment().put("TCMALLOC_RELEASE_RATE", "0");
    }
    try {
      Process process = builder.start();
      LOG.info("Started pipeline {} (pid {}), log {}", name, process.pid(), logFile);
      return new PipelineProcess(name, process, logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the pipeline JVM " + name, e);
    }
  }

  String name() {
    return name;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Time since {@link #start}. */
  Duration uptime() {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  /** SIGKILL, then waits until the process is gone. */
  void kill() {
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(30));
    LOG.info("Killed pipeline {} after {} ms", name, uptime().toMillis());
  }

  /** SIGTERM (the pipeline closes gracefully, committing what it finished), SIGKILL after 60 s. */
  void stop() {
    process.destroy();
    if (!awaitExit(Duration.ofSeconds(60))) {
      LOG.warn("Pipeline {} ignored SIGTERM for 60 s; killing it", name);
      kill();
    }
  }

  private boolean awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The HTTP port the CLI announced on its output, once it did. */
  synchronized OptionalInt httpPort() {
    if (httpPort < 0) {
      Matcher matcher = HTTP_PORT.matcher(readLog());
      if (matcher.find()) {
        httpPort = Integer.parseInt(matcher.group(1));
      }
    }
    return httpPort < 0 ? OptionalInt.empty() : OptionalInt.of(httpPort);
  }

  /** An unlabelled sample from the child's {@code /metrics}, when its endpoint answers. */
  OptionalDouble metric(String sample) {
    OptionalInt port = httpPort();
    if (port.isEmpty() || !isAlive()) {
      return OptionalDouble.empty();
    }
    try {
      return PipelineHttp.sample(PipelineHttp.get(port.getAsInt(), "/metrics").body(), sample);
    } catch (IOException e) {
      return OptionalDouble.empty();
    }
  }

  /**
   * Images this JVM has classified so far, committed or not ({@code
   * glimpse_images_classified_total}); 0 before its endpoint answers.
   */
  long classified() {
    return (long) metric("glimpse_images_classified_total").orElse(0);
  }

  /** The end of the child's output, for assertion messages. */
  String logTail() {
    String log = readLog();
    String tail =
        log.length() <= LOG_TAIL_CHARS ? log : log.substring(log.length() - LOG_TAIL_CHARS);
    return "--- pipeline "
        + name
        + (isAlive() ? " (running)" : " (exit " + process.exitValue() + ")")
        + ", "
        + logFile
        + " ---\n"
        + tail;
  }

  private String readLog() {
    try {
      return Files.exists(logFile)
          ? new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8)
          : "";
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e + ")";
    }
  }

  /** Kills the child if it still runs. */
  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
