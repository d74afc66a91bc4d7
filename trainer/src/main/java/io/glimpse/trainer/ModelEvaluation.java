package io.glimpse.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import io.glimpse.trainer.data.TrainingDataset;
import io.glimpse.trainer.metrics.ClassificationReport;
import java.util.function.UnaryOperator;

/**
 * Runs a model over a whole data set in order, without augmentation, and reports its confusion
 * matrix, loss and predictions. The forward pass is a function so the same code evaluates through a
 * DJL {@code Trainer} during training and through the bare block afterwards.
 */
final class ModelEvaluation {

  private ModelEvaluation() {}

  /**
   * Evaluates.
   *
   * @param data the images, not shuffled
   * @param manager the parent of each batch's manager
   * @param forward data to logits; its outputs must belong to the input's manager
   * @param loss the loss to average
   */
  static ClassificationReport evaluate(
      TrainingDataset data, NDManager manager, UnaryOperator<NDList> forward, Loss loss) {
    int classes = data.images().classes().size();
    long[][] confusion = new long[classes][classes];
    int[] predictions = new int[data.images().size()];
    double lossSum = 0;
    int seen = 0;
    for (Batch batch : data.epoch(manager, 0, 0)) {
      try (batch) {
        NDList logits = forward.apply(batch.getData());
        NDArray labelArray = batch.getLabels().singletonOrThrow();
        lossSum += loss.evaluate(batch.getLabels(), logits).getFloat() * batch.getSize();
        long[] predicted = logits.singletonOrThrow().argMax(1).toLongArray();
        float[] labels = labelArray.toFloatArray();
        for (int i = 0; i < predicted.length; i++) {
          confusion[(int) labels[i]][(int) predicted[i]]++;
          predictions[seen + i] = (int) predicted[i];
        }
        seen += batch.getSize();
      }
    }
    return new ClassificationReport(
        data.images().classes(), confusion, seen == 0 ? 0 : lossSum / seen, predictions);
  }
}
