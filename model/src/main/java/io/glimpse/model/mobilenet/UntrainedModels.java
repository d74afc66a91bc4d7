package io.glimpse.model.mobilenet;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.artifact.ModelArtifactWriter;
import io.glimpse.model.artifact.ModelFormat;
import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.model.artifact.Normalization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Writes a randomly initialized (untrained) MobileNetV1 as a model artifact. Its predictions are
 * meaningless but its cost is real: benchmarks and tests of the serving path use it where a trained
 * model of that shape does not exist, without downloading anything.
 */
public final class UntrainedModels {
  private static final String ENGINE = "PyTorch";

  private UntrainedModels() {}

  /**
   * Writes the artifact into {@code target} (which must not exist) and returns its manifest.
   *
   * @param name model name
   * @param version version
   * @param widthMultiplier MobileNet α in (0, 1]
   * @param input channels, height, width (height and width ≥ 32)
   * @param labels one per class
   * @param seed random seed for the weights
   * @throws ModelArtifactException when the artifact cannot be written
   */
  public static ModelManifest write(
      Path target,
      String name,
      String version,
      float widthMultiplier,
      InputShape input,
      List<String> labels,
      int seed)
      throws ModelArtifactException {
    Engine.getEngine(ENGINE).setRandomSeed(seed);
    Block block =
        MobileNetV1.builder()
            .setNumClasses(labels.size())
            .optWidthMultiplier(widthMultiplier)
            .optInputChannels(input.channels())
            .build();
    float[] mean = new float[input.channels()];
    float[] std = new float[input.channels()];
    Arrays.fill(mean, 0.5f);
    Arrays.fill(std, 0.25f);
    ModelManifest manifest =
        ModelManifest.builder()
            .setName(name)
            .setVersion(version)
            .setFormat(ModelFormat.DJL)
            .optWidthMultiplier(widthMultiplier)
            .setInputShape(input)
            .setNormalization(new Normalization(floats(mean), floats(std)))
            .setLabels(labels)
            .optMetrics(Map.of())
            .build();
    try (Model model = Model.newInstance(name, Device.cpu(), ENGINE)) {
      model.setBlock(block);
      block.initialize(model.getNDManager(), DataType.FLOAT32, input.toBatchShape(1));
      return ModelArtifactWriter.write(model, manifest, target);
    }
  }

  /** {@code class-0 … class-(n-1)}. */
  public static List<String> numberedLabels(int classes) {
    return Collections.unmodifiableList(
        IntStream.range(0, classes).mapToObj(i -> "class-" + i).toList());
  }

  private static List<Float> floats(float[] values) {
    List<Float> list = new ArrayList<>(values.length);
    for (float v : values) {
      list.add(v);
    }
    return list;
  }
}
