package io.glimpse.model.inference;

import ai.djl.Device;
import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.LoadedModel;
import io.glimpse.model.artifact.ModelArtifactLoader;
import io.glimpse.model.mobilenet.UntrainedModels;
import java.nio.file.Path;

/** Writes and loads an untrained MobileNetV1 α=0.25, 10 classes, 1×32×32, from a fixed seed. */
final class TinyModel {

  static final InputShape INPUT = new InputShape(1, 32, 32);
  static final int CLASSES = 10;

  private TinyModel() {}

  static LoadedModel writeAndLoad(Path dir) throws Exception {
    Path artifact = dir.resolve("tiny/1");
    UntrainedModels.write(
        artifact, "tiny", "1", 0.25f, INPUT, UntrainedModels.numberedLabels(CLASSES), 42);
    return ModelArtifactLoader.builder().optDevice(Device.cpu()).build().load(artifact);
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
