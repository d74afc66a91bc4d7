package io.glimpse.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import io.glimpse.trainer.data.TrainingDataset;

/** Trains one epoch: forward, loss, backward and an optimizer step per batch. */
final class EpochTrainer {

  /** The epoch's training loss, accuracy (on augmented images) and duration. */
  record Outcome(double loss, double accuracy, int images, double seconds) {}

  private EpochTrainer() {}

  static Outcome run(
      Trainer trainer, TrainingDataset data, int epoch, int maxBatches, ProgressListener listener) {
    long start = System.nanoTime();
    double lossSum = 0;
    long right = 0;
    int images = 0;
    int number = 0;
    for (Batch batch : data.epoch(trainer.getManager(), epoch, maxBatches)) {
      try (batch) {
        float loss;
        NDList predictions;
        try (GradientCollector collector = trainer.newGradientCollector()) {
          predictions = trainer.forward(batch.getData());
          NDArray lossValue = trainer.getLoss().evaluate(batch.getLabels(), predictions);
          collector.backward(lossValue);
          loss = lossValue.getFloat();
        }
        trainer.step();
        right += correct(predictions, batch.getLabels());
        lossSum += (double) loss * batch.getSize();
        images += batch.getSize();
        listener.onBatch(++number, loss);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Outcome(lossSum / images, (double) right / images, images, seconds);
  }

  private static long correct(NDList predictions, NDList labels) {
    long[] predicted = predictions.singletonOrThrow().argMax(1).toLongArray();
    float[] actual = labels.singletonOrThrow().toFloatArray();
    long right = 0;
    for (int i = 0; i < predicted.length; i++) {
      if (predicted[i] == (long) actual[i]) {
        right++;
      }
    }
    return right;
  }
}
