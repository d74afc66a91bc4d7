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
 * The PyTorch side of {@code bench engine}: {@code bench/pytorch_engine.py} run by Debian's
 * python3-torch in a subprocess, driven one JSON line at a time so that its rounds alternate with
 * Glimpse's in the same run. While Glimpse measures, the script waits on its stdin and uses no CPU.
 */
final class PyTorchBaseline implements AutoCloseable {
  static final String PYTHON = "/usr/bin/python3";
  private static final String SCRIPT = "bench/pytorch_engine.py";
  private static final Logger LOG = LoggerFactory.getLogger(PyTorchBaseline.class);

  private final ObjectMapper json = new ObjectMapper();
  private final Process process;
  private final Writer requests;
  private final BufferedReader replies;

  private PyTorchBaseline(Process process) {
    this.process = process;
    this.requests = process.outputWriter(StandardCharsets.UTF_8);
    this.replies = process.inputReader(StandardCharsets.UTF_8);
  }

  /**
   * Starts the script, or returns empty when {@code /usr/bin/python3} or its torch is missing.
   *
   * @param dir where to write the script
   */
  static Optional<PyTorchBaseline> start(Path dir) {
    if (!Files.isExecutable(Path.of(PYTHON))) {
      LOG.info("No {}: PyTorch's side of the benchmark is left out", PYTHON);
      return Optional.empty();
    }
    try {
      Path script = dir.resolve("pytorch_engine.py");
      try (InputStream in = PyTorchBaseline.class.getResourceAsStream("/" + SCRIPT)) {
        Files.copy(in, script);
      }
      Process process =
          new ProcessBuilder(PYTHON, script.toString())
              .redirectError(dir.resolve("pytorch_engine.log").toFile())
              .start();
      PyTorchBaseline baseline = new PyTorchBaseline(process);
      if (!process.isAlive() && process.exitValue() != 0) {
        return Optional.empty();
      }
      return Optional.of(baseline);
    } catch (IOException e) {
      LOG.info("Cannot start {} ({}): PyTorch's side is left out", PYTHON, e.toString());
      return Optional.empty();
    }
  }

  /**
   * Builds the network in PyTorch; the reply holds {@code trainable}, {@code running_stats} and
   * {@code torch}, or empty when the script cannot import torch.
   */
  Optional<JsonNode> build(EngineModel model, int threads) {
    ObjectNode request = json.createObjectNode().put("op", "build");
    request.put("alpha", model.width()).put("channels", model.channels());
    request.put("size", model.size()).put("classes", model.classes()).put("threads", threads);
    try {
      return Optional.of(ask(request));
    } catch (IllegalStateException e) {
      LOG.info("PyTorch's side is left out: {}", e.getMessage());
      return Optional.empty();
    }
  }

  /** Runs {@code kind} (eager or torchscript) for at least {@code seconds}; images per second. */
  double measure(String kind, int batch, double seconds) {
    ObjectNode request = json.createObjectNode().put("op", "measure").put("kind", kind);
    request.put("batch", batch).put("seconds", seconds);
    return ask(request).get("images_per_s").asDouble();
  }

  private JsonNode ask(ObjectNode request) {
    try {
      requests.write(json.writeValueAsString(request) + "\n");
      requests.flush();
      String line = replies.readLine();
      if (line == null) {
        throw new IllegalStateException(SCRIPT + " exited; see pytorch_engine.log");
      }
      JsonNode reply = json.readTree(line);
      if (reply.has("error")) {
        throw new IllegalStateException(SCRIPT + ": " + reply.get("error").asText());
      }
      return reply;
    } catch (IOException e) {
      throw new UncheckedIOException(SCRIPT + " stopped answering", e);
    }
  }

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
