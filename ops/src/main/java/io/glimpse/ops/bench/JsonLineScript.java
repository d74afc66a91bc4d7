package io.glimpse.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Python script of the benchmarks ({@code bench/*.py}, run by Debian's {@code /usr/bin/python3})
 * in a subprocess, driven one JSON line at a time: a request on its stdin, one reply on its stdout,
 * {@code {"error": ...}} when it failed, {@code {"op": "quit"}} to end it. While the Java side
 * measures, the script waits on its stdin and uses no CPU, so the two sides can take turns in one
 * run. Its stderr goes to a log file beside the copied scripts.
 */
final class JsonLineScript implements AutoCloseable {
  static final String PYTHON = "/usr/bin/python3";
  private static final Logger LOG = LoggerFactory.getLogger(JsonLineScript.class);

  private final ObjectMapper json = new ObjectMapper();
  private final String script;
  private final String log;
  private final Process process;
  private final Writer requests;
  private final BufferedReader replies;

  private JsonLineScript(String script, String log, Process process) {
    this.script = script;
    this.log = log;
    this.process = process;
    this.requests = process.outputWriter(StandardCharsets.UTF_8);
    this.replies = process.inputReader(StandardCharsets.UTF_8);
  }

  /**
   * Copies the scripts from the {@code bench/} resources into {@code dir} and runs the first, its
   * stderr to {@code dir/<log>}; empty (and logged) when {@code /usr/bin/python3} is missing or the
   * process cannot start.
   *
   * @param dir where the scripts and the log go
   * @param log the log file's name
   * @param scripts the script to run, then those it imports
   */
  static Optional<JsonLineScript> start(Path dir, String log, String... scripts) {
    if (!Files.isExecutable(Path.of(PYTHON))) {
      LOG.info("No {}: PyTorch's side of the benchmark is left out", PYTHON);
      return Optional.empty();
    }
    try {
      Files.createDirectories(dir);
      for (String name : scripts) {
        try (InputStream in = JsonLineScript.class.getResourceAsStream("/bench/" + name)) {
          Files.copy(in, dir.resolve(name));
        }
      }
      Process process =
          new ProcessBuilder(PYTHON, dir.resolve(scripts[0]).toString())
              .redirectError(dir.resolve(log).toFile())
              .start();
      return Optional.of(new JsonLineScript(scripts[0], log, process));
    } catch (IOException e) {
      LOG.info("Cannot start {} ({}): PyTorch's side is left out", PYTHON, e.toString());
      return Optional.empty();
    }
  }

  /** Whether the script has already ended with a failure (it could not even start). */
  boolean failedAtStart() {
    return !process.isAlive() && process.exitValue() != 0;
  }

  /** A request for {@code op}, to add its arguments to. */
  ObjectNode request(String op) {
    return json.createObjectNode().put("op", op);
  }

  /**
   * Sends one request and reads its reply.
   *
   * @throws IllegalStateException when the script exited or replied with an error
   * @throws UncheckedIOException when it stopped answering
   */
  JsonNode ask(ObjectNode request) {
    try {
      requests.write(json.writeValueAsString(request) + "\n");
      requests.flush();
      String line = replies.readLine();
      if (line == null) {
        throw new IllegalStateException(script + " exited; see " + log);
      }
      JsonNode reply = json.readTree(line);
      if (reply.has("error")) {
        throw new IllegalStateException(script + ": " + reply.get("error").asText());
      }
      return reply;
    } catch (IOException e) {
      throw new UncheckedIOException(script + " stopped answering", e);
    }
  }

  /** Asks the script to quit, and ends it if it does not within 10 s. */
  @Override
  public void close() {
    try {
      requests.write("{\"op\": \"quit\"}\n");
      requests.close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
