package io.glimpse.ops.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.inference.Devices;
import io.glimpse.model.inference.InferenceException;
import io.glimpse.model.mobilenet.Precision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code glimpse bench engine}: the forward pass as the pipeline runs it, side by side with PyTorch
 * eager and TorchScript on the same network, in one run. For each model and batch size the sides
 * take turns, round after round (Glimpse folded, Glimpse folded in bf16, Glimpse's DJL block,
 * PyTorch eager, TorchScript), so that a busy machine slows them alike; each reports its median
 * round.
 */
public final class EngineBench {
  private static final Logger LOG = LoggerFactory.getLogger(EngineBench.class);

  private EngineBench() {}

  /**
   * Runs the benchmark.
   *
   * @throws IllegalArgumentException when the device is not there (a GPU without CUDA libtorch)
   * @throws IllegalStateException when the two sides' networks have different parameter counts
   */
  public static EngineReport run(EngineSettings settings)
      throws ModelArtifactException, InferenceException, InterruptedException {
    // Fails first, saying what to install, where a GPU is asked for and DJL sees none.
    boolean onCpu = !Devices.parse(settings.device()).isGpu();
    try (Workspace workspace = Workspace.create()) {
      Optional<PyTorchBaseline> pytorch =
          settings.pytorch() && onCpu
              ? PyTorchBaseline.start(workspace.resolve(""))
              : Optional.empty();
      try {
        return measure(settings, workspace, pytorch);
      } finally {
        pytorch.ifPresent(PyTorchBaseline::close);
      }
    }
  }

  private static EngineReport measure(
      EngineSettings settings, Workspace workspace, Optional<PyTorchBaseline> pytorch)
      throws ModelArtifactException, InferenceException, InterruptedException {
    List<EngineReport.Result> results = new ArrayList<>();
    String torchVersion = null;
    String device = null;
    int threads = 0;
    int index = 0;
    for (EngineModel model : settings.models()) {
      index++;
      try (GlimpseEngine folded =
              engine(settings, model, workspace.resolve("folded-" + index), Precision.FP32);
          GlimpseEngine bf16 =
              engine(settings, model, workspace.resolve("bf16-" + index), Precision.BF16);
          GlimpseEngine block =
              engine(settings, model, workspace.resolve("block-" + index), null)) {
        device = folded.device();
        threads = JniUtils.getNumThreads();
        long[] counts = folded.parameterCounts();
        Optional<JsonNode> built = pytorch.flatMap(p -> p.build(model, JniUtils.getNumThreads()));
        if (built.isPresent()) {
          checkSameNetwork(model, counts, built.get());
          torchVersion = built.get().get("torch").asText();
        }
        for (int batch : settings.batches()) {
          results.add(
              rounds(
                  settings,
                  model,
                  batch,
                  new Sides(folded, bf16, block),
                  built.flatMap(b -> pytorch),
                  counts[0]));
        }
      }
    }
    return new EngineReport(device, threads, Malloc.inUse(), torchVersion, results);
  }

  private static EngineReport.Result rounds(
      EngineSettings settings,
      EngineModel model,
      int batch,
      Sides glimpse,
      Optional<PyTorchBaseline> pytorch,
      long parameters)
      throws InferenceException, InterruptedException {
    int n = settings.rounds();
    double[] fp32 = new double[n];
    double[] bf16 = new double[n];
    double[] unfolded = new double[n];
    double[] eager = new double[n];
    double[] script = new double[n];
    for (int r = 0; r < n; r++) {
      fp32[r] = glimpse.folded().measure(batch, settings.seconds());
      bf16[r] = glimpse.bf16().measure(batch, settings.seconds());
      unfolded[r] = glimpse.block().measure(batch, settings.seconds());
      if (pytorch.isPresent()) {
        eager[r] = pytorch.get().measure("eager", batch, settings.seconds());
        script[r] = pytorch.get().measure("torchscript", batch, settings.seconds());
      }
    }
    EngineReport.Result result =
        new EngineReport.Result(
            model.name(),
            batch,
            parameters,
            glimpse.folded().servedAs(),
            median(fp32),
            glimpse.bf16().servedAs(),
            median(bf16),
            median(unfolded),
            pytorch.isPresent() ? median(eager) : null,
            pytorch.isPresent() ? median(script) : null);
    LOG.info("Engine: {}", result);
    return result;
  }

  /** Loads the model folded in {@code precision}, or as the trained DJL block when it is null. */
  private static GlimpseEngine engine(
      EngineSettings settings, EngineModel model, Path dir, Precision precision)
      throws ModelArtifactException {
    return GlimpseEngine.load(
        model,
        dir,
        settings.device(),
        precision != null,
        precision == null ? Precision.FP32 : precision);
  }

  /** Glimpse's three forms of one network: folded fp32, folded bf16, the DJL block. */
  private record Sides(GlimpseEngine folded, GlimpseEngine bf16, GlimpseEngine block) {}

  private static void checkSameNetwork(EngineModel model, long[] glimpse, JsonNode pytorch) {
    long trainable = pytorch.get("trainable").asLong();
    long runningStats = pytorch.get("running_stats").asLong();
    if (trainable != glimpse[0] || runningStats != glimpse[1]) {
      throw new IllegalStateException(
          model.name()
              + ": Glimpse's network has "
              + glimpse[0]
              + " trainable parameters and "
              + glimpse[1]
              + " running statistics, PyTorch's "
              + trainable
              + " and "
              + runningStats
              + "; bench/pytorch_engine.py no longer builds the same MobileNetV1, fix it");
    }
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
