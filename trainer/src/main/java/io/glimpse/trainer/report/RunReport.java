package io.glimpse.trainer.report;

import io.glimpse.trainer.metrics.ClassificationReport;
import io.glimpse.trainer.metrics.EpochMetrics;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code metrics.json} and the plots show about a run.
 *
 * @param modelName the model name
 * @param version the version
 * @param parentVersion the version fine-tuned from, or null
 * @param settings the run's settings (data set, network, optimizer...), in display order
 * @param history one entry per epoch
 * @param bestEpoch the epoch whose weights the artifact holds
 * @param validation the best model on the validation images
 * @param test the best model on the test images, or null
 * @param wallTimeSeconds this process's wall time
 * @param trainingSeconds training and validation time across resumptions
 */
public record RunReport(
    String modelName,
    String version,
    String parentVersion,
    Map<String, Object> settings,
    List<EpochMetrics> history,
    int bestEpoch,
    ClassificationReport validation,
    ClassificationReport test,
    double wallTimeSeconds,
    double trainingSeconds) {

  /** Copies the collections. */
  public RunReport {
    settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
    history = List.copyOf(history);
  }

  /**
   * Returns the report the confusion-matrix plot shows: the test set's, else the validation set's.
   *
   * @return the report
   */
  public ClassificationReport headlineReport() {
    return test != null ? test : validation;
  }
}
