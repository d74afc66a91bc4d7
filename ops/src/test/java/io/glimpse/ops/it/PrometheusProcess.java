package io.glimpse.ops.it;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Debian's Prometheus ({@code /usr/bin/prometheus}) in a child process, for one test: its
 * configuration, rule files and TSDB in a directory of the test's, its web API on a free port of
 * 127.0.0.1. {@link #start} returns once {@code /-/ready} answers; {@link #close()} stops it
 * (SIGTERM, then SIGKILL).
 */
final class PrometheusProcess implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/prometheus");
  private static final int LOG_TAIL_CHARS = 4_000;

  private final Process process;
  private final Path logFile;
  private final PrometheusApi api;

  private PrometheusProcess(Process process, Path logFile, PrometheusApi api) {
    this.process = process;
    this.logFile = logFile;
    this.api = api;
  }

  /** True when Debian's prometheus package is installed. */
  static boolean installed() {
    return Files.isExecutable(BINARY) && Files.isExecutable(Promtool.BINARY);
  }

  /**
   * Starts Prometheus on {@code dir/prometheus.yml} (which the caller wrote, rule files beside it),
   * with its TSDB under {@code dir/data} and its log in {@code dir/prometheus.log}, and waits until
   * it is ready.
   *
   * @throws IllegalStateException when it exits or is not ready within {@code deadline}; the
   *     message quotes its log
   */
  static PrometheusProcess start(Path dir, Duration deadline) throws IOException {
    Path config = dir.resolve("prometheus.yml");
    if (!Files.isRegularFile(config)) {
      throw new IllegalArgumentException("Write " + config + " before starting Prometheus");
    }
    int port = freePort();
    Path logFile = dir.resolve("prometheus.log");
    Process process =
        new ProcessBuilder(
                List.of(
                    BINARY.toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--storage.tsdb.retention.time=1h"))
            .redirectErrorStream(true)
            .redirectOutput(Redirect.appendTo(logFile.toFile()))
            .start();
    PrometheusProcess prometheus =
        new PrometheusProcess(
            process, logFile, new PrometheusApi(URI.create("http://127.0.0.1:" + port)));
    try {
      Awaitility.await("Prometheus on port " + port + " ready")
          .atMost(deadline)
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(() -> !process.isAlive() || prometheus.api.ready());
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Prometheus exited with " + process.exitValue() + ":\n" + prometheus.logTail());
      }
    } catch (ConditionTimeoutException e) {
      prometheus.close();
      throw new IllegalStateException(
          "Prometheus was not ready within " + deadline + ":\n" + prometheus.logTail(), e);
    } catch (RuntimeException e) {
      prometheus.close();
      throw e;
    }
    return prometheus;
  }

  /** Its HTTP API. */
  PrometheusApi api() {
    return api;
  }

  /** The end of its log, for assertion messages. */
  String logTail() {
    try {
      String log = Files.readString(logFile, StandardCharsets.UTF_8);
      return log.substring(Math.max(0, log.length() - LOG_TAIL_CHARS));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
