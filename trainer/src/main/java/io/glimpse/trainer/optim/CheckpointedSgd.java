package io.glimpse.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * SGD with (heavy-ball) momentum, as DJL's {@code Sgd} computes it through libtorch, with its
 * momentum buffers checkpointable.
 */
public final class CheckpointedSgd extends CheckpointedOptimizer {

  private final float momentum;

  /**
   * Creates the optimizer.
   *
   * @param settings schedule, decay and starting update count
   * @param momentum the momentum, e.g. 0.9
   */
  public CheckpointedSgd(OptimizerSettings settings, float momentum) {
    super(settings, 1);
    this.momentum = momentum;
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    float rate = learningRateAt(updateCount(parameterId));
    NDList inputs = new NDList(weight, grad, state(parameterId, weight)[0]);
    weight
        .getNDArrayInternal()
        .sgdUpdate(
            inputs,
            new NDList(weight),
            rate,
            weightDecayOf(parameterId),
            rescaleGrad,
            clipGrad,
            momentum,
            true);
  }
}
