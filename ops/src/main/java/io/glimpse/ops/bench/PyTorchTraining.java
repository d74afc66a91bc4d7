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
 * The PyTorch side of {@code bench train}: {@code bench/pytorch_train.py} (which imports the
 * network of {@code bench/pytorch_engine.py}) run by Debian's python3-torch in a subprocess, one
 * JSON line at a time, so that its steps alternate with Glimpse's in the same run. While Glimpse
 * measures, the script waits on its stdin and uses no CPU.
 */
final class PyTorchTraining implements AutoCloseable {
  private static final String[] SCRIPTS = {"pytorch_train.py", "pytorch_engine.py"};
  private static final Logger LOG = LoggerFactory.getLogger(PyTorchTraining.class);

  private final ObjectMapper json = new ObjectMapper();
  private final Process process;
  private final Writer requests;
  private final BufferedReader replies;

  private PyTorchTraining(Process process) {
    this.process = process;
    this.requests = process.outputWriter(StandardCharsets.UTF_8);
    this.replies = process.inputReader(StandardCharsets.UTF_8);
  }

  /**
   * Starts the script, or returns empty when {@code /usr/bin/python3} is missing.
   *
   * @param dir where to write the scripts and the script's log
   */
  static Optional<PyTorchTraining> start(Path dir) {
    if (!Files.isExecutable(Path.of(PyTorchBaseline.PYTHON))) {
      LOG.info("No {}: PyTorch's side of the benchmark is left out", PyTorchBaseline.PYTHON);
      return Optional.empty();
    }
    try {
      Files.createDirectories(dir);
      for (String name : SCRIPTS) {
        try (InputStream in = PyTorchTraining.class.getResourceAsStream("/bench/" + name)) {
          Files.copy(in, dir.resolve(name));
        }
      }
      Process process =
          new ProcessBuilder(PyTorchBaseline.PYTHON, dir.resolve(SCRIPTS[0]).toString())
              .redirectError(dir.resolve("pytorch_train.log").toFile())
              .start();
      return Optional.of(new PyTorchTraining(process));
    } catch (IOException e) {
      LOG.info("Cannot start {} ({}): PyTorch's side is left out", PyTorchBaseline.PYTHON, e);
      return Optional.empty();
    }
  }

  /**
   * Builds the network, optimizer and batch; the reply holds {@code trainable}, {@code
   * running_stats}, {@code torch} and {@code threads}, or empty when the script cannot import
   * torch.
   */
  Optional<JsonNode> build(TrainSettings settings, int threads) {
    ObjectNode request = json.createObjectNode().put("op", "build");
    request.put("alpha", settings.width()).put("channels", settings.channels());
    request.put("size", settings.inputSize()).put("classes", settings.classes());
    request.put("batch", settings.batchSize()).put("threads", threads);
    request.put("lr", settings.learningRate()).put("momentum", settings.momentum());
    request.put("weight_decay", settings.weightDecay());
    request.put("smoothing", settings.labelSmoothing());
    try {
      return Optional.of(ask(request));
    } catch (IllegalStateException | UncheckedIOException e) {
      LOG.info("PyTorch's side is left out: {}", e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Takes {@code count} steps; the reply holds one list of milliseconds per phase ({@code step_ms},
   * {@code forward_ms}, {@code loss_ms}, {@code backward_ms}, {@code read_back_ms}, {@code
   * optimizer_ms}).
   */
  JsonNode steps(int count) {
    return ask(json.createObjectNode().put("op", "steps").put("count", count));
  }

  private JsonNode ask(ObjectNode request) {
    try {
      requests.write(json.writeValueAsString(request) + "\n");
      requests.flush();
      String line = replies.readLine();
      if (line == null) {
        throw new IllegalStateException(SCRIPTS[0] + " exited; see pytorch_train.log");
      }
      JsonNode reply = json.readTree(line);
      if (reply.has("error")) {
        throw new IllegalStateException(SCRIPTS[0] + ": " + reply.get("error").asText());
      }
      return reply;
    } catch (IOException e) {
      throw new UncheckedIOException(SCRIPTS[0] + " stopped answering", e);
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
