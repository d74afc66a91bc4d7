package io.glimpse.trainer;

import io.glimpse.trainer.data.Augmentation;
import io.glimpse.trainer.data.DataSource;
import io.glimpse.trainer.data.FitMode;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything a training run needs, built and validated once. The defaults are the recipe the
 * quality bar is measured with (see the trainer README): MobileNetV1 α 0.5 at 64×64
 * (Fashion-MNIST's 28×28 resized, as the pipeline resizes), 15 epochs, batch 128 split across one
 * worker per core, SGD with momentum 0.9 and peak learning rate 0.1, one epoch of linear warm-up
 * then cosine decay to zero, weight decay 5e-4, label smoothing 0.1, and the augmentation the data
 * set suggests (horizontal flips for Fashion-MNIST; random crops with padding 4 and flips
 * otherwise).
 *
 * <pre>{@code
 * TrainingConfig config = TrainingConfig.builder()
 *     .setDataSource(FashionMnist.source(DatasetOptions.defaults()))
 *     .setModelName("fashion").setVersion("3").setOutputDirectory(Path.of("runs/fashion-3"))
 *     .optEpochs(13)
 *     .build();
 * }</pre>
 */
public final class TrainingConfig {

  private final TrainingConfigBuilder b;

  TrainingConfig(TrainingConfigBuilder builder) {
    this.b = builder.copy();
  }

  /**
   * Returns a builder with the default recipe; data source, model name, version and output
   * directory must be set.
   *
   * @return a new builder
   */
  public static TrainingConfigBuilder builder() {
    return new TrainingConfigBuilder();
  }

  /**
   * Returns a builder holding this configuration's values, to derive a changed copy.
   *
   * @return a new builder
   */
  public TrainingConfigBuilder toBuilder() {
    return b.copy();
  }

  /**
   * @return where the images come from
   */
  public DataSource dataSource() {
    return b.dataSource;
  }

  /**
   * @return the model name written into the artifact's manifest
   */
  public String modelName() {
    return b.modelName;
  }

  /**
   * @return the version written into the artifact's manifest
   */
  public String version() {
    return b.version;
  }

  /**
   * @return where the artifact, metrics.json, plots and checkpoints go
   */
  public Path outputDirectory() {
    return b.outputDirectory;
  }

  /**
   * @return the number of epochs to train (in total, counting those of a resumed checkpoint)
   */
  public int epochs() {
    return b.epochs;
  }

  /**
   * @return images per training batch
   */
  public int batchSize() {
    return b.batchSize;
  }

  /**
   * @return MobileNet's width multiplier α
   */
  public float widthMultiplier() {
    return b.widthMultiplier;
  }

  /**
   * @return the network's input height and width
   */
  public int inputSize() {
    return b.inputSize;
  }

  /**
   * @return the input channels, or 0 to take the data set's
   */
  public int channels() {
    return b.channels;
  }

  /**
   * @return how images of another size are fitted to the input
   */
  public FitMode fitMode() {
    return b.fitMode;
  }

  /**
   * @return the optimizer
   */
  public OptimizerKind optimizer() {
    return b.optimizer;
  }

  /**
   * @return the peak learning rate (the optimizer's default unless set)
   */
  public float learningRate() {
    return b.learningRate > 0 ? b.learningRate : b.optimizer.defaultLearningRate();
  }

  /**
   * @return SGD's momentum
   */
  public float momentum() {
    return b.momentum;
  }

  /**
   * @return epochs of linear learning-rate warm-up (fractions allowed)
   */
  public float warmupEpochs() {
    return Float.isNaN(b.warmupEpochs) ? Math.min(1f, b.epochs / 4f) : b.warmupEpochs;
  }

  /**
   * @return L2 weight decay of convolution and linear weights
   */
  public float weightDecay() {
    return b.weightDecay;
  }

  /**
   * @return label smoothing ε
   */
  public float labelSmoothing() {
    return b.labelSmoothing;
  }

  /**
   * @return training-time augmentation
   */
  public Augmentation augmentation() {
    Augmentation chosen =
        b.augmentation != null ? b.augmentation : b.dataSource.suggestedAugmentation();
    return b.erasing > 0 ? chosen.withErasing(b.erasing) : chosen;
  }

  /**
   * @return the decay of the exponential moving average of the weights, 0 when none is kept
   */
  public float averageDecay() {
    return b.averageDecay;
  }

  /**
   * @return the seed of weights, shuffling and augmentation
   */
  public long seed() {
    return b.seed;
  }

  /**
   * @return at most this many batches per epoch (smoke runs), 0 for all
   */
  public int maxBatchesPerEpoch() {
    return b.maxBatchesPerEpoch;
  }

  /**
   * @return how many threads share every batch
   */
  public int workers() {
    return b.workers;
  }

  /**
   * @return a checkpoint directory to resume from
   */
  public Optional<Path> resumeFrom() {
    return Optional.ofNullable(b.resumeFrom);
  }

  /**
   * @return a model artifact to fine-tune from
   */
  public Optional<Path> fineTuneFrom() {
    return Optional.ofNullable(b.fineTuneFrom);
  }

  /**
   * @return a version in a model store to fine-tune from
   */
  public Optional<ParentVersion> parentVersion() {
    return Optional.ofNullable(b.parentVersion);
  }

  /**
   * @return the DJL device setting: auto, cpu, gpu or gpu:N
   */
  public String device() {
    return b.device;
  }

  /**
   * @return the checkpoint directory: {@code <output>/checkpoints}
   */
  public Path checkpointDirectory() {
    return b.outputDirectory.resolve("checkpoints");
  }

  @Override
  public String toString() {
    return "TrainingConfig{"
        + b.dataSource.describe()
        + ", "
        + b.modelName
        + " v"
        + b.version
        + ", "
        + b.epochs
        + " epochs, batch "
        + b.batchSize
        + " over "
        + b.workers
        + (b.workers == 1 ? " worker" : " workers")
        + ", α "
        + b.widthMultiplier
        + ", input "
        + b.inputSize
        + ", "
        + b.optimizer
        + " lr "
        + learningRate()
        + "}";
  }
}
