package io.glimpse.model.inference;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.LoadedModel;
import io.glimpse.model.artifact.ModelArtifactLoader;
import io.glimpse.model.artifact.ModelArtifactWriter;
import io.glimpse.model.artifact.ModelFormat;
import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.model.artifact.Normalization;
import io.glimpse.model.mobilenet.MobileNetV1;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/** Writes and loads an untrained MobileNetV1 α=0.25, 10 classes, 1×32×32, from a fixed seed. */
final class TinyModel {

  static final InputShape INPUT = new InputShape(1, 32, 32);
  static final int CLASSES = 10;

  private TinyModel() {}

  static LoadedModel writeAndLoad(Path dir) throws Exception {
    Engine.getInstance().setRandomSeed(42);
    Block block =
        MobileNetV1.builder()
            .setNumClasses(CLASSES)
            .optWidthMultiplier(0.25f)
            .optInputChannels(INPUT.channels())
            .build();
    Path artifact = dir.resolve("tiny/1");
    try (Model model = Model.newInstance("tiny", Device.cpu(), "PyTorch")) {
      model.setBlock(block);
      block.initialize(model.getNDManager(), DataType.FLOAT32, INPUT.toBatchShape(1));
      ModelArtifactWriter.write(model, manifest(), artifact);
    }
    return ModelArtifactLoader.builder().optDevice(Device.cpu()).build().load(artifact);
  }

  private static ModelManifest manifest() {
    return ModelManifest.builder()
        .setName("tiny")
        .setVersion("1")
        .setFormat(ModelFormat.DJL)
        .optWidthMultiplier(0.25f)
        .setInputShape(INPUT)
        .setNormalization(new Normalization(List.of(0.286f), List.of(0.353f)))
        .setLabels(IntStream.range(0, CLASSES).mapToObj(i -> "class" + i).toList())
        .build();
  }

  /** A deterministic, image-like batch: image {@code i} is a sine pattern with phase {@code i}. */
  static float[] batch(int batchSize) {
    int size = INPUT.channels() * INPUT.height() * INPUT.width();
    float[] batch = new float[batchSize * size];
    for (int i = 0; i < batch.length; i++) {
      batch[i] = (float) Math.sin((i % size) * 0.1 + (i / size) * 1.3) * (1 + i / size);
    }
    return batch;
  }
}
