package io.glimpse.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PyTorch side of {@code bench engine}: {@code bench/pytorch_engine.py} run by Debian's
 * python3-torch as a {@link JsonLineScript}, so that its rounds alternate with Glimpse's in the
 * same run.
 */
final class PyTorchBaseline implements AutoCloseable {
  static final String PYTHON = JsonLineScript.PYTHON;
  private static final Logger LOG = LoggerFactory.getLogger(PyTorchBaseline.class);

  private final JsonLineScript script;

  private PyTorchBaseline(JsonLineScript script) {
    this.script = script;
  }

  /**
   * Starts the script, or returns empty when {@code /usr/bin/python3} or its torch is missing.
   *
   * @param dir where to write the script
   */
  static Optional<PyTorchBaseline> start(Path dir) {
    return JsonLineScript.start(dir, "pytorch_engine.log", "pytorch_engine.py")
        .filter(script -> !script.failedAtStart())
        .map(PyTorchBaseline::new);
  }

  /**
   * Builds the network in PyTorch; the reply holds {@code trainable}, {@code running_stats} and
   * {@code torch}, or empty when the script cannot import torch.
   */
  Optional<JsonNode> build(EngineModel model, int threads) {
    ObjectNode request = script.request("build");
    request.put("alpha", model.width()).put("channels", model.channels());
    request.put("size", model.size()).put("classes", model.classes()).put("threads", threads);
    try {
      return Optional.of(script.ask(request));
    } catch (IllegalStateException e) {
      LOG.info("PyTorch's side is left out: {}", e.getMessage());
      return Optional.empty();
    }
  }

  /** Runs {@code kind} (eager or torchscript) for at least {@code seconds}; images per second. */
  double measure(String kind, int batch, double seconds) {
    ObjectNode request = script.request("measure").put("kind", kind);
    request.put("batch", batch).put("seconds", seconds);
    return script.ask(request).get("images_per_s").asDouble();
  }

  @Override
  public void close() {
    script.close();
  }
}
