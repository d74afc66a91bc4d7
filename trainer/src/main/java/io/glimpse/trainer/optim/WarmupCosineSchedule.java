package io.glimpse.trainer.optim;

import ai.djl.training.tracker.Tracker;

/**
 * Learning rate by update number: a linear ramp from {@code base / warmupSteps} to {@code base}
 * over the warm-up, then half a cosine from {@code base} down to {@code finalRate} at {@code
 * totalSteps}, and {@code finalRate} after that. Update numbers start at 1, as DJL counts them.
 * Depending only on the update number, it continues exactly where it was when a run is resumed.
 *
 * @param base the peak learning rate
 * @param finalRate the rate at the end, usually 0 or a small fraction of {@code base}
 * @param warmupSteps updates of linear warm-up, 0 for none
 * @param totalSteps updates of the whole run, more than {@code warmupSteps}
 */
public record WarmupCosineSchedule(float base, float finalRate, int warmupSteps, int totalSteps)
    implements Tracker {

  /** Checks the values. */
  public WarmupCosineSchedule {
    if (!(base > 0) || finalRate < 0 || finalRate > base) {
      throw new IllegalArgumentException(
          "learning rates must satisfy 0 <= final <= base and base > 0, got base "
              + base
              + ", final "
              + finalRate);
    }
    if (warmupSteps < 0 || totalSteps <= warmupSteps) {
      throw new IllegalArgumentException(
          "need 0 <= warm-up steps < total steps, got " + warmupSteps + " and " + totalSteps);
    }
  }

  @Override
  public float getNewValue(int numUpdate) {
    if (numUpdate <= warmupSteps) {
      return base * Math.max(1, numUpdate) / warmupSteps;
    }
    if (numUpdate >= totalSteps) {
      return finalRate;
    }
    double progress = (double) (numUpdate - warmupSteps) / (totalSteps - warmupSteps);
    return (float) (finalRate + (base - finalRate) * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }
}
