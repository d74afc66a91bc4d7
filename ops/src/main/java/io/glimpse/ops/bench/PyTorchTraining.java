package io.glimpse.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PyTorch side of {@code bench train}: {@code bench/pytorch_train.py} (which imports the
 * network of {@code bench/pytorch_engine.py}) run by Debian's python3-torch as a {@link
 * JsonLineScript}, so that its steps alternate with Glimpse's in the same run.
 */
final class PyTorchTraining implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PyTorchTraining.class);

  private final JsonLineScript script;

  private PyTorchTraining(JsonLineScript script) {
    this.script = script;
  }

  /**
   * Starts the script, or returns empty when {@code /usr/bin/python3} is missing.
   *
   * @param dir where to write the scripts and the script's log
   */
  static Optional<PyTorchTraining> start(Path dir) {
    return JsonLineScript.start(dir, "pytorch_train.log", "pytorch_train.py", "pytorch_engine.py")
        .map(PyTorchTraining::new);
  }

  /**
   * Builds the network, optimizer and batch; the reply holds {@code trainable}, {@code
   * running_stats}, {@code torch} and {@code threads}, or empty when the script cannot import
   * torch.
   */
  Optional<JsonNode> build(TrainSettings settings, int threads) {
    ObjectNode request = script.request("build");
    request.put("alpha", settings.width()).put("channels", settings.channels());
    request.put("size", settings.inputSize()).put("classes", settings.classes());
    request.put("batch", settings.batchSize()).put("threads", threads);
    request.put("lr", settings.learningRate()).put("momentum", settings.momentum());
    request.put("weight_decay", settings.weightDecay());
    request.put("smoothing", settings.labelSmoothing());
    try {
      return Optional.of(script.ask(request));
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
    return script.ask(script.request("steps").put("count", count));
  }

  @Override
  public void close() {
    script.close();
  }
}
