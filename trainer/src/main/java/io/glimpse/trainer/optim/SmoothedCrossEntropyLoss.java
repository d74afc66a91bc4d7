package io.glimpse.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * Softmax cross-entropy against smoothed targets (Szegedy et al. 2016): the true class gets {@code
 * 1 - ε + ε/K} and every class {@code ε/K}. With ε = 0 it is plain cross-entropy. Labels are class
 * indices (any numeric type), predictions are logits; the result is the batch mean.
 */
public final class SmoothedCrossEntropyLoss extends Loss {

  private final int classes;
  private final float smoothing;

  /**
   * Creates the loss.
   *
   * @param classes the number of classes K
   * @param smoothing ε in [0, 1)
   */
  public SmoothedCrossEntropyLoss(int classes, float smoothing) {
    super("SmoothedCrossEntropyLoss");
    if (classes < 1 || !(smoothing >= 0 && smoothing < 1)) {
      throw new IllegalArgumentException(
          "need at least one class and smoothing in [0, 1), got " + classes + " and " + smoothing);
    }
    this.classes = classes;
    this.smoothing = smoothing;
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray logProbabilities = predictions.singletonOrThrow().logSoftmax(1);
    NDArray target =
        labels
            .singletonOrThrow()
            .toType(DataType.INT64, false)
            .oneHot(classes)
            .toType(DataType.FLOAT32, false)
            .mul(1 - smoothing)
            .add(smoothing / classes);
    return target.mul(logProbabilities).sum(new int[] {1}).neg().mean();
  }
}
