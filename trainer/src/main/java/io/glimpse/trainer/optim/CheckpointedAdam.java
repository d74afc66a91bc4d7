package io.glimpse.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Adam (Kingma and Ba 2015), as DJL's {@code Adam} computes it, with its moments checkpointable.
 */
public final class CheckpointedAdam extends CheckpointedOptimizer {

  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPSILON = 1e-8f;

  /**
   * Creates the optimizer with β1 0.9, β2 0.999 and ε 1e-8.
   *
   * @param settings schedule, decay and starting update count
   */
  public CheckpointedAdam(OptimizerSettings settings) {
    super(settings, 2);
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    int t = updateCount(parameterId);
    float rate = learningRateAt(t);
    double coef1 = 1.0 - Math.pow(BETA1, t);
    double coef2 = 1.0 - Math.pow(BETA2, t);
    float corrected = (float) (rate * Math.sqrt(coef2) / coef1);
    NDArray[] moments = state(parameterId, weight);
    NDList inputs = new NDList(weight, grad, moments[0], moments[1]);
    weight
        .getNDArrayInternal()
        .adamUpdate(
            inputs,
            new NDList(weight),
            rate,
            corrected,
            weightDecayOf(parameterId),
            rescaleGrad,
            clipGrad,
            BETA1,
            BETA2,
            EPSILON,
            true,
            false);
  }
}
