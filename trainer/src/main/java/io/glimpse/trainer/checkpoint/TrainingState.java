package io.glimpse.trainer.checkpoint;

import io.glimpse.trainer.metrics.EpochMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's progress as a checkpoint records it ({@code state.json}).
 *
 * @param signature what must not change between a run and its resumption (network, data, seed,
 *     batching); compared as text
 * @param epochsDone epochs trained
 * @param stepsDone optimizer updates done
 * @param bestEpoch the epoch with the best validation accuracy so far, 0 before the first
 * @param bestValidationAccuracy its validation accuracy
 * @param elapsedSeconds wall time spent so far, across resumptions
 * @param mean the normalization mean the run trains with
 * @param std the normalization std the run trains with
 * @param history one entry per epoch done
 */
public record TrainingState(
    String signature,
    int epochsDone,
    int stepsDone,
    int bestEpoch,
    double bestValidationAccuracy,
    double elapsedSeconds,
    List<Float> mean,
    List<Float> std,
    List<EpochMetrics> history) {

  /** Copies the lists. */
  public TrainingState {
    mean = List.copyOf(mean);
    std = List.copyOf(std);
    history = List.copyOf(history);
  }

  /**
   * Returns the state of a run that has not trained yet.
   *
   * @param signature the run's signature
   * @param mean normalization mean
   * @param std normalization std
   * @return the initial state
   */
  public static TrainingState initial(String signature, List<Float> mean, List<Float> std) {
    return new TrainingState(signature, 0, 0, 0, -1, 0, mean, std, List.of());
  }

  /**
   * Returns the state after one more epoch.
   *
   * @param metrics the epoch's metrics
   * @param steps the updates it made
   * @param seconds the wall time it took, validation included
   * @return the new state; the epoch is the best when its validation accuracy beats the best
   */
  public TrainingState after(EpochMetrics metrics, int steps, double seconds) {
    List<EpochMetrics> next = new ArrayList<>(history);
    next.add(metrics);
    boolean best = isBetter(metrics);
    return new TrainingState(
        signature,
        metrics.epoch(),
        stepsDone + steps,
        best ? metrics.epoch() : bestEpoch,
        best ? metrics.validationAccuracy() : bestValidationAccuracy,
        elapsedSeconds + seconds,
        mean,
        std,
        next);
  }

  /**
   * Whether an epoch's validation accuracy beats the best so far (ties keep the earlier epoch).
   *
   * @param metrics the epoch's metrics
   * @return true when strictly better
   */
  public boolean isBetter(EpochMetrics metrics) {
    return metrics.validationAccuracy() > bestValidationAccuracy;
  }
}
