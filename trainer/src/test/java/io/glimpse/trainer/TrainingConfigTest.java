package io.glimpse.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glimpse.trainer.data.Augmentation;
import io.glimpse.trainer.data.DatasetOptions;
import io.glimpse.trainer.data.FashionMnist;
import io.glimpse.trainer.data.FitMode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TrainingConfigTest {

  private static TrainingConfigBuilder minimal() {
    return TrainingConfig.builder()
        .setDataSource(FashionMnist.source(DatasetOptions.defaults()))
        .setModelName("fashion")
        .setVersion("3")
        .setOutputDirectory(Path.of("runs/fashion-3"));
  }

  @Test
  void theDefaultsAreTheDocumentedRecipe() {
    TrainingConfig config = minimal().build();
    assertThat(config.batchSize()).isEqualTo(128);
    assertThat(config.widthMultiplier()).isEqualTo(0.5f);
    assertThat(config.inputSize()).isEqualTo(64);
    assertThat(config.fitMode()).isEqualTo(FitMode.RESIZE); // what the pipeline does
    assertThat(config.optimizer()).isEqualTo(OptimizerKind.SGD);
    assertThat(config.learningRate()).isEqualTo(0.1f);
    assertThat(config.momentum()).isEqualTo(0.9f);
    assertThat(config.warmupEpochs()).isEqualTo(1f);
    assertThat(config.epochs()).isEqualTo(TrainingConfigBuilder.DEFAULT_EPOCHS);
    assertThat(config.augmentation()).isEqualTo(Augmentation.FLIP_ONLY); // Fashion-MNIST's
    assertThat(config.checkpointDirectory()).isEqualTo(Path.of("runs/fashion-3/checkpoints"));
    assertThat(minimal().optOptimizer(OptimizerKind.ADAM).build().learningRate()).isEqualTo(0.001f);
  }

  @Test
  void erasingAddsToTheDataSetsAugmentationAndTheAverageIsOffByDefault() {
    TrainingConfig plain = minimal().build();
    assertThat(plain.averageDecay()).isZero();
    assertThat(plain.augmentation().erasing()).isZero();

    TrainingConfig erasing = minimal().optErasing(0.5f).optAverageDecay(0.999f).build();
    assertThat(erasing.augmentation())
        .isEqualTo(plain.augmentation().withErasing(0.5f))
        .extracting(Augmentation::horizontalFlip)
        .isEqualTo(plain.augmentation().horizontalFlip());
    assertThat(erasing.averageDecay()).isEqualTo(0.999f);
  }

  @Test
  void shortRunsWarmUpForAQuarterOfTheirEpochs() {
    assertThat(minimal().optEpochs(2).build().warmupEpochs()).isEqualTo(0.5f);
    assertThat(minimal().optEpochs(2).optWarmupEpochs(0).build().warmupEpochs()).isZero();
  }

  @Test
  void buildNamesTheFirstBadSetting() {
    assertThatThrownBy(() -> minimal().optWidthMultiplier(1.5f).build())
        .hasMessageContaining("width multiplier");
    assertThatThrownBy(() -> minimal().optInputSize(28).build())
        .hasMessageContaining("input size must be at least 32");
    assertThatThrownBy(() -> minimal().optEpochs(3).optWarmupEpochs(3).build())
        .hasMessageContaining("warm-up");
    assertThatThrownBy(() -> minimal().setVersion("a/b").build()).hasMessageContaining("version");
    assertThatThrownBy(() -> minimal().optErasing(1.5f).build())
        .hasMessageContaining("erasing must be in [0, 1]");
    assertThatThrownBy(() -> minimal().optAverageDecay(1f).build())
        .hasMessageContaining("average decay must be 0 (none) or in (0, 1)");
    assertThatThrownBy(
            () -> minimal().optResumeFrom(Path.of("c")).optFineTuneFrom(Path.of("a")).build())
        .hasMessageContaining("exclude each other");
  }
}
