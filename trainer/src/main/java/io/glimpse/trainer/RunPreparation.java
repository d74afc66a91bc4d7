package io.glimpse.trainer;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.model.artifact.Normalization;
import io.glimpse.trainer.checkpoint.TrainingState;
import io.glimpse.trainer.data.Augmentation;
import io.glimpse.trainer.data.DataSplits;
import io.glimpse.trainer.data.DatasetException;
import io.glimpse.trainer.data.ImageDataset;
import io.glimpse.trainer.data.ImageFitter;
import io.glimpse.trainer.data.InMemoryImageDataset;
import io.glimpse.trainer.data.NormalizationStats;
import io.glimpse.trainer.data.TrainingDataset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the data and decides the network's shape: the input channels come from the parent model
 * (fine-tuning), the configuration, or the data, in that order; labels take the parent's class
 * order when it has every class of the data; images are fitted to the input; the normalization is
 * the checkpoint's (resuming), the parent's (fine-tuning, whose weights expect it) or measured on
 * the training images.
 */
final class RunPreparation {

  private static final Logger logger = LoggerFactory.getLogger(RunPreparation.class);

  private RunPreparation() {}

  static PreparedRun prepare(TrainingConfig config, ModelManifest parent, TrainingState resumed)
      throws DatasetException {
    DataSplits splits = inParentOrder(config.dataSource().load(), parent);
    InputShape input = inputShape(config, parent, splits.train());
    ImageDataset train = ImageFitter.fit(splits.train(), input, config.fitMode());
    Normalization normalization = normalization(train, parent, resumed);
    float alpha = parent != null ? parent.getWidthMultiplier() : config.widthMultiplier();
    logger.info(
        "Data {}: {} training, {} validation, {} test images, fitted to {}; normalization {}",
        config.dataSource().describe(),
        train.size(),
        splits.validation().size(),
        splits.testSet().map(ImageDataset::size).orElse(0),
        input,
        normalization);
    return new PreparedRun(
        input,
        alpha,
        train.classes(),
        normalization,
        dataset(config, train, normalization, true),
        evaluation(config, splits.validation(), input, normalization),
        splits.test() == null ? null : evaluation(config, splits.test(), input, normalization),
        parent,
        config.dataSource().describe());
  }

  /**
   * When fine-tuning on classes that the parent also has, the labels take the parent's order, so
   * that its classifier is kept with each output still meaning the same class (sources name their
   * classes in their own order: sorted labels, folder names).
   */
  private static DataSplits inParentOrder(DataSplits splits, ModelManifest parent) {
    List<String> classes = splits.train().classes();
    if (parent == null
        || parent.getLabels().equals(classes)
        || !parent.getLabels().containsAll(classes)) {
      return splits;
    }
    List<String> order = parent.getLabels();
    logger.info("Labels take the parent's order, {}, so its classifier is kept", order);
    return new DataSplits(
        InMemoryImageDataset.relabelled(splits.train(), order),
        InMemoryImageDataset.relabelled(splits.validation(), order),
        splits.test() == null ? null : InMemoryImageDataset.relabelled(splits.test(), order));
  }

  private static InputShape inputShape(
      TrainingConfig config, ModelManifest parent, ImageDataset data) {
    int channels = data.channels();
    if (parent != null) {
      channels = parent.getInputShape().channels();
    } else if (config.channels() != 0) {
      channels = config.channels();
    }
    return new InputShape(channels, config.inputSize(), config.inputSize());
  }

  /**
   * Validation and test images as the pipeline will see them: when they need resizing, they keep
   * their own size and each batch is resized and normalized by the serving preprocessor in floats
   * (so the accuracy the trainer reports is the accuracy served); padded or already fitting images
   * are fitted once, like the training images.
   */
  private static TrainingDataset evaluation(
      TrainingConfig config, ImageDataset images, InputShape input, Normalization normalization) {
    if (!ImageFitter.resizes(images, input, config.fitMode())) {
      return dataset(
          config, ImageFitter.fit(images, input, config.fitMode()), normalization, false);
    }
    return TrainingDataset.builder()
        .setImages(images)
        .setNormalization(normalization)
        .setBatching(config.batchSize(), false)
        .optServingInput(input)
        .build();
  }

  private static Normalization normalization(
      ImageDataset train, ModelManifest parent, TrainingState resumed) {
    if (resumed != null) {
      return new Normalization(resumed.mean(), resumed.std());
    }
    return parent != null ? parent.getNormalization() : NormalizationStats.of(train);
  }

  private static TrainingDataset dataset(
      TrainingConfig config, ImageDataset images, Normalization normalization, boolean training) {
    return TrainingDataset.builder()
        .setImages(images)
        .setNormalization(normalization)
        .setBatching(config.batchSize(), training)
        .optAugmentation(training ? config.augmentation() : Augmentation.NONE)
        .optSeed(config.seed())
        .build();
  }
}
