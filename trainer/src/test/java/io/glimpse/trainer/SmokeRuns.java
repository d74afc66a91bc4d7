package io.glimpse.trainer;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.trainer.data.Augmentation;
import io.glimpse.trainer.data.DatasetOptions;
import io.glimpse.trainer.data.SyntheticShapes;
import java.nio.file.Path;

/**
 * Small, fast training configurations for tests: MobileNetV1 α 0.25 on gray 32×32 synthetic shapes,
 * batches of 32, a capped number of batches per epoch. A step takes about 70 ms on one core.
 */
final class SmokeRuns {

  static final InputShape GRAY_32 = new InputShape(1, 32, 32);

  private SmokeRuns() {}

  /**
   * 800 synthetic images (720 train, 80 validation, 133 test), one worker: the tests' results must
   * not depend on the machine's core count.
   */
  static TrainingConfigBuilder synthetic(Path output, int epochs, int batchesPerEpoch) {
    return TrainingConfig.builder()
        .setDataSource(
            SyntheticShapes.source(DatasetOptions.defaults().withLimit(800).withSeed(5), GRAY_32))
        .setModelName("shapes")
        .setVersion("1")
        .setOutputDirectory(output)
        .optEpochs(epochs)
        .optBatchSize(32)
        .optWidthMultiplier(0.25f)
        .optInputSize(32)
        .optWorkers(1)
        .optMaxBatchesPerEpoch(batchesPerEpoch)
        .optWarmupEpochs(0.25f)
        .optAugmentation(Augmentation.NONE)
        .optSeed(9)
        .optDevice("cpu");
  }
}
