package io.glimpse.trainer;

import io.glimpse.trainer.metrics.EpochMetrics;

/**
 * Hears a training run's progress, on the training thread: keep the callbacks quick. The command
 * line draws a progress bar from them; {@link LoggingProgressListener} logs them. Every method does
 * nothing by default.
 */
public interface ProgressListener {

  /** A listener that ignores everything. */
  ProgressListener NONE = new ProgressListener() {};

  /**
   * An epoch starts.
   *
   * @param epoch the epoch number, from 1
   * @param epochs the run's last epoch
   * @param batches the batches this epoch will train
   * @param batchSize images per batch
   */
  default void onEpochStart(int epoch, int epochs, int batches, int batchSize) {}

  /**
   * A training batch is done.
   *
   * @param batch the batch number within the epoch, from 1
   * @param loss the batch's loss
   */
  default void onBatch(int batch, float loss) {}

  /**
   * An epoch is done and validated.
   *
   * @param metrics its loss, accuracy and speed
   * @param best whether it is the best epoch so far
   */
  default void onEpochEnd(EpochMetrics metrics, boolean best) {}

  /**
   * The run moves to a step that takes a while outside the epochs, e.g. {@code "testing"}.
   *
   * @param description a few words for a human
   */
  default void onPhase(String description) {}
}
