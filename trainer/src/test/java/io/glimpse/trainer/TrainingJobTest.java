package io.glimpse.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.model.artifact.LoadedModel;
import io.glimpse.model.artifact.ModelArtifactLoader;
import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.model.image.ImagePreprocessor;
import io.glimpse.model.inference.BatchClassifier;
import io.glimpse.trainer.data.ImageDataset;
import io.glimpse.trainer.metrics.EpochMetrics;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A smoke training run end to end: the loss falls and the artifact serves what was evaluated. */
class TrainingJobTest {

  @TempDir Path dir;

  @Test
  void theLossFallsAndTheArtifactPredictsWhatTheTrainerEvaluated() throws Exception {
    // Six epochs: from torchvision's starting weights (a classifier drawn from N(0, 0.01)) the
    // loss of these 15-batch epochs stays near ln 10 for about three of them, then falls.
    TrainingConfig config = SmokeRuns.synthetic(dir, 6, 15).build();

    TrainingResult result = new TrainingJob(config, ProgressListener.NONE).run();

    List<EpochMetrics> history = result.history();
    assertThat(history).hasSize(6);
    assertThat(history.get(5).trainLoss()).isLessThan(history.get(0).trainLoss() - 0.1);
    ModelManifest manifest = result.manifest();
    assertThat(manifest.getLabels()).hasSize(10);
    assertThat(manifest.getMetrics())
        .containsKeys("validation_accuracy", "test_accuracy", "best_epoch");
    assertThat(manifest.getMetrics().get("validation_accuracy"))
        .isEqualTo(result.validation().accuracy());

    ImageDataset test = config.dataSource().load().test();
    int[] trainerPredictions = result.test().predictions();
    try (LoadedModel model =
            ModelArtifactLoader.builder().build().load(result.artifactDirectory());
        BatchClassifier classifier = new BatchClassifier(model)) {
      float[][] probabilities = classifier.classify(batch(model, test, 64), 64);
      for (int i = 0; i < 64; i++) {
        assertThat(argMax(probabilities[i])).as("image %d", i).isEqualTo(trainerPredictions[i]);
      }
    }
  }

  @Test
  void twoWorkersTrainTheNetworkAndRepeatTheirRunExactly() throws Exception {
    TrainingConfigBuilder twoWorkers =
        SmokeRuns.synthetic(dir.resolve("a"), 6, 15).optWorkers(2).optBatchSize(64);

    TrainingResult first = new TrainingJob(twoWorkers.build(), ProgressListener.NONE).run();
    TrainingResult again =
        new TrainingJob(
                twoWorkers.setOutputDirectory(dir.resolve("b")).build(), ProgressListener.NONE)
            .run();

    List<EpochMetrics> history = first.history();
    assertThat(history.get(5).trainLoss()).isLessThan(history.get(0).trainLoss() - 0.1);
    assertThat(again.history())
        .extracting(EpochMetrics::trainLoss)
        .containsExactlyElementsOf(history.stream().map(EpochMetrics::trainLoss).toList());
    assertThat(again.test().predictions()).isEqualTo(first.test().predictions());
  }

  @Test
  void writesMetricsAndReadablePlotsNextToTheArtifact() throws Exception {
    TrainingResult result =
        new TrainingJob(SmokeRuns.synthetic(dir, 2, 3).build(), ProgressListener.NONE).run();

    assertThat(result.artifactDirectory()).isEqualTo(dir.resolve("artifact"));
    String metrics = Files.readString(result.metricsFile());
    assertThat(metrics).contains("\"confusionMatrix\"", "\"perClassAccuracy\"", "\"bestEpoch\"");
    assertThat(result.plots()).hasSize(2);
    for (Path plot : result.plots()) {
      BufferedImage image = ImageIO.read(plot.toFile());
      assertThat(image.getWidth()).isGreaterThan(500);
    }
  }

  private static float[] batch(LoadedModel model, ImageDataset images, int n) {
    ImagePreprocessor preprocessor = ImagePreprocessor.of(model.getManifest());
    float[] batch = new float[n * preprocessor.tensorSize()];
    for (int i = 0; i < n; i++) {
      preprocessor.writeTensor(images.image(i), batch, i * preprocessor.tensorSize());
    }
    return batch;
  }

  /** The index of the largest value: the predicted class. */
  static int argMax(float[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }
}
