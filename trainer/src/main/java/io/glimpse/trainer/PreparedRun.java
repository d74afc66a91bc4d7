package io.glimpse.trainer;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.model.artifact.Normalization;
import io.glimpse.trainer.data.TrainingDataset;
import java.util.List;

/**
 * A run's data and network shape once everything is loaded: the fitted, normalized data sets and
 * what the network is built from.
 *
 * @param input the network's input shape
 * @param widthMultiplier α (the parent's when fine-tuning)
 * @param classes the class names, one per output
 * @param normalization the normalization trained with
 * @param train training batches (shuffled, augmented)
 * @param validation validation batches
 * @param test test batches, or null
 * @param parent the manifest of the model fine-tuned from, or null
 * @param dataDescription the data source, for logs and metrics
 */
record PreparedRun(
    InputShape input,
    float widthMultiplier,
    List<String> classes,
    Normalization normalization,
    TrainingDataset train,
    TrainingDataset validation,
    TrainingDataset test,
    ModelManifest parent,
    String dataDescription) {

  /** What a resumed run must share with the run that wrote the checkpoint. */
  String signature(TrainingConfig config) {
    return String.format(
        "mobilenet_v1 alpha=%s input=%dx%dx%d classes=%s train=%d validation=%d batch=%d"
            + " epochs=%d maxBatches=%d optimizer=%s lr=%s seed=%d averageDecay=%s data=%s",
        widthMultiplier,
        input.channels(),
        input.height(),
        input.width(),
        classes,
        train.images().size(),
        validation.images().size(),
        config.batchSize(),
        config.epochs(),
        config.maxBatchesPerEpoch(),
        config.optimizer(),
        config.learningRate(),
        config.seed(),
        config.averageDecay(),
        dataDescription);
  }
}
