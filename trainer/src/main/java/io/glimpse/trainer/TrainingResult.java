package io.glimpse.trainer;

import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.trainer.metrics.ClassificationReport;
import io.glimpse.trainer.metrics.EpochMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a training run produced: the history, the best epoch's evaluation and where its outputs are.
 * The artifact holds the best epoch's weights.
 *
 * @param history every epoch, resumed ones included
 * @param bestEpoch the epoch with the highest validation accuracy, from 1
 * @param validation the best model on the validation images
 * @param test the best model on the test images, null when the data set has none
 * @param wallTime the run's wall time (this process only, when resumed)
 * @param artifactDirectory the model artifact
 * @param manifest the artifact's manifest, as written
 * @param metricsFile {@code metrics.json}
 * @param plots the PNG plots
 */
public record TrainingResult(
    List<EpochMetrics> history,
    int bestEpoch,
    ClassificationReport validation,
    ClassificationReport test,
    Duration wallTime,
    Path artifactDirectory,
    ModelManifest manifest,
    Path metricsFile,
    List<Path> plots) {

  /** Copies the lists. */
  public TrainingResult {
    history = List.copyOf(history);
    plots = List.copyOf(plots);
  }

  /**
   * Returns the test-set evaluation, when the data set has a test set.
   *
   * @return the test report
   */
  public Optional<ClassificationReport> testReport() {
    return Optional.ofNullable(test);
  }
}
