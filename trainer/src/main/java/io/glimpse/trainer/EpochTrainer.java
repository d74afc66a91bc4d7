package io.glimpse.trainer;

import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import io.glimpse.trainer.data.TrainingDataset;

/**
 * Trains one epoch: forward and backward on the workers, then an optimizer step (and whatever
 * follows a step, such as updating an average of the weights), per batch.
 */
final class EpochTrainer {

  /** The epoch's training loss, accuracy (on augmented images) and duration. */
  record Outcome(double loss, double accuracy, int images, double seconds) {}

  private EpochTrainer() {}

  static Outcome run(
      Trainer trainer,
      DataParallelStep step,
      TrainingDataset data,
      int epoch,
      int maxBatches,
      Runnable afterStep,
      ProgressListener listener)
      throws TrainingException {
    long start = System.nanoTime();
    double lossSum = 0;
    long right = 0;
    int images = 0;
    int number = 0;
    for (Batch batch : data.epoch(trainer.getManager(), epoch, maxBatches)) {
      try (batch) {
        DataParallelStep.Outcome outcome = step.forwardBackward(batch);
        trainer.step();
        afterStep.run();
        right += outcome.correct();
        lossSum += (double) outcome.loss() * batch.getSize();
        images += batch.getSize();
        listener.onBatch(++number, outcome.loss());
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Outcome(lossSum / images, (double) right / images, images, seconds);
  }
}
