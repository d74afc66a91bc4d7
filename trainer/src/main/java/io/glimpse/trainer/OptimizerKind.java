package io.glimpse.trainer;

import java.util.Locale;

/** The optimizers a training run can use. */
public enum OptimizerKind {
  /** SGD with momentum 0.9; default learning rate 0.1. */
  SGD(0.1f),
  /** Adam; default learning rate 0.001. */
  ADAM(0.001f);

  private final float defaultLearningRate;

  OptimizerKind(float defaultLearningRate) {
    this.defaultLearningRate = defaultLearningRate;
  }

  /**
   * Returns the peak learning rate used when none is given.
   *
   * @return the default learning rate
   */
  public float defaultLearningRate() {
    return defaultLearningRate;
  }

  /**
   * Parses {@code sgd} or {@code adam}, case-insensitively.
   *
   * @param name the name
   * @return the kind
   * @throws IllegalArgumentException for any other name
   */
  public static OptimizerKind fromName(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown optimizer \"" + name + "\"; use sgd or adam", e);
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
