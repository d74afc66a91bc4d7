package io.glimpse.trainer;

import io.glimpse.model.mobilenet.MobileNetV1;
import io.glimpse.trainer.data.Augmentation;
import io.glimpse.trainer.data.DataSource;
import io.glimpse.trainer.data.FitMode;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Builds a {@link TrainingConfig} in DJL's words: {@code setX} is required, {@code optX} optional
 * (defaults are the recipe {@link TrainingConfig} describes), {@link #build()} validates.
 */
public final class TrainingConfigBuilder {

  /** The default number of epochs: the quality-bar recipe's. */
  public static final int DEFAULT_EPOCHS = 15;

  /** The default number of workers: one per processor. */
  public static final int DEFAULT_WORKERS = Runtime.getRuntime().availableProcessors();

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  DataSource dataSource;
  String modelName;
  String version;
  Path outputDirectory;
  int epochs = DEFAULT_EPOCHS;
  int batchSize = 128;
  float widthMultiplier = 0.5f;
  int inputSize = 64;
  int channels;
  FitMode fitMode = FitMode.RESIZE;
  OptimizerKind optimizer = OptimizerKind.SGD;
  float learningRate;
  float momentum = 0.9f;
  float warmupEpochs = Float.NaN;
  float weightDecay = 5e-4f;
  float labelSmoothing = 0.1f;
  Augmentation augmentation;
  float erasing;
  float averageDecay;
  long seed = 42;
  int maxBatchesPerEpoch;
  int workers = DEFAULT_WORKERS;
  Path resumeFrom;
  Path fineTuneFrom;
  ParentVersion parentVersion;
  String device = "auto";

  TrainingConfigBuilder() {}

  TrainingConfigBuilder copy() {
    TrainingConfigBuilder c = new TrainingConfigBuilder();
    c.dataSource = dataSource;
    c.modelName = modelName;
    c.version = version;
    c.outputDirectory = outputDirectory;
    c.epochs = epochs;
    c.batchSize = batchSize;
    c.widthMultiplier = widthMultiplier;
    c.inputSize = inputSize;
    c.channels = channels;
    c.fitMode = fitMode;
    c.optimizer = optimizer;
    c.learningRate = learningRate;
    c.momentum = momentum;
    c.warmupEpochs = warmupEpochs;
    c.weightDecay = weightDecay;
    c.labelSmoothing = labelSmoothing;
    c.augmentation = augmentation;
    c.erasing = erasing;
    c.averageDecay = averageDecay;
    c.seed = seed;
    c.maxBatchesPerEpoch = maxBatchesPerEpoch;
    c.workers = workers;
    c.resumeFrom = resumeFrom;
    c.fineTuneFrom = fineTuneFrom;
    c.parentVersion = parentVersion;
    c.device = device;
    return c;
  }

  /**
   * Sets where the images come from. Required.
   *
   * @param dataSource e.g. {@code FashionMnist.source(DatasetOptions.defaults())}
   * @return this builder
   */
  public TrainingConfigBuilder setDataSource(DataSource dataSource) {
    this.dataSource = dataSource;
    return this;
  }

  /**
   * Sets the model name recorded in the artifact. Required; letters, digits, {@code . _ -}.
   *
   * @param modelName e.g. {@code fashion}
   * @return this builder
   */
  public TrainingConfigBuilder setModelName(String modelName) {
    this.modelName = modelName;
    return this;
  }

  /**
   * Sets the version recorded in the artifact. Required; letters, digits, {@code . _ -}.
   *
   * @param version e.g. {@code 3}
   * @return this builder
   */
  public TrainingConfigBuilder setVersion(String version) {
    this.version = version;
    return this;
  }

  /**
   * Sets the run's output directory: {@code artifact/}, {@code metrics.json}, the plots and {@code
   * checkpoints/} go there. Required; {@code artifact/} must not exist yet.
   *
   * @param outputDirectory the directory, created if needed
   * @return this builder
   */
  public TrainingConfigBuilder setOutputDirectory(Path outputDirectory) {
    this.outputDirectory = outputDirectory;
    return this;
  }

  /**
   * Sets the number of epochs. Defaults to {@link #DEFAULT_EPOCHS}.
   *
   * @param epochs at least 1
   * @return this builder
   */
  public TrainingConfigBuilder optEpochs(int epochs) {
    this.epochs = epochs;
    return this;
  }

  /**
   * Sets images per training batch. Defaults to 128.
   *
   * @param batchSize at least 2 (batch normalization needs more than one image)
   * @return this builder
   */
  public TrainingConfigBuilder optBatchSize(int batchSize) {
    this.batchSize = batchSize;
    return this;
  }

  /**
   * Sets MobileNet's width multiplier α. Defaults to 0.5.
   *
   * @param widthMultiplier in (0, 1]
   * @return this builder
   */
  public TrainingConfigBuilder optWidthMultiplier(float widthMultiplier) {
    this.widthMultiplier = widthMultiplier;
    return this;
  }

  /**
   * Sets the input height and width. Defaults to 64: MobileNetV1 halves the resolution five times,
   * and at 32 its 512-wide blocks see 2×2 maps (measured on Fashion-MNIST: 90.7 % test accuracy at
   * 32 in 15 epochs, 91.6 % at 64 in 12).
   *
   * @param inputSize at least 32
   * @return this builder
   */
  public TrainingConfigBuilder optInputSize(int inputSize) {
    this.inputSize = inputSize;
    return this;
  }

  /**
   * Sets the input channels. Defaults to the data set's (0).
   *
   * @param channels 0, 1 or 3
   * @return this builder
   */
  public TrainingConfigBuilder optChannels(int channels) {
    this.channels = channels;
    return this;
  }

  /**
   * Sets how smaller or larger images are fitted to the input. Defaults to {@link FitMode#RESIZE},
   * what the pipeline does to every image it serves.
   *
   * @param fitMode pad or resize
   * @return this builder
   */
  public TrainingConfigBuilder optFitMode(FitMode fitMode) {
    this.fitMode = fitMode;
    return this;
  }

  /**
   * Sets the optimizer. Defaults to SGD.
   *
   * @param optimizer SGD or Adam
   * @return this builder
   */
  public TrainingConfigBuilder optOptimizer(OptimizerKind optimizer) {
    this.optimizer = optimizer;
    return this;
  }

  /**
   * Sets the peak learning rate. Defaults to the optimizer's (0.1 for SGD, 0.001 for Adam).
   *
   * @param learningRate positive
   * @return this builder
   */
  public TrainingConfigBuilder optLearningRate(float learningRate) {
    this.learningRate = learningRate;
    return this;
  }

  /**
   * Sets SGD's momentum. Defaults to 0.9.
   *
   * @param momentum in [0, 1)
   * @return this builder
   */
  public TrainingConfigBuilder optMomentum(float momentum) {
    this.momentum = momentum;
    return this;
  }

  /**
   * Sets the epochs of linear warm-up before the cosine decay. Defaults to 1, or a quarter of the
   * epochs when there are fewer than 4.
   *
   * @param warmupEpochs 0 or more, less than the epochs; NaN for the default
   * @return this builder
   */
  public TrainingConfigBuilder optWarmupEpochs(float warmupEpochs) {
    this.warmupEpochs = warmupEpochs;
    return this;
  }

  /**
   * Sets the L2 weight decay of convolution and linear weights. Defaults to 5e-4.
   *
   * @param weightDecay 0 or more
   * @return this builder
   */
  public TrainingConfigBuilder optWeightDecay(float weightDecay) {
    this.weightDecay = weightDecay;
    return this;
  }

  /**
   * Sets label smoothing ε. Defaults to 0.1.
   *
   * @param labelSmoothing in [0, 1)
   * @return this builder
   */
  public TrainingConfigBuilder optLabelSmoothing(float labelSmoothing) {
    this.labelSmoothing = labelSmoothing;
    return this;
  }

  /**
   * Sets the augmentation. Defaults to the data source's {@link
   * DataSource#suggestedAugmentation()}: flips only for Fashion-MNIST, shifts of up to 4 pixels and
   * flips otherwise.
   *
   * @param augmentation crop padding and flip, or null for the data's suggestion
   * @return this builder
   */
  public TrainingConfigBuilder optAugmentation(Augmentation augmentation) {
    this.augmentation = augmentation;
    return this;
  }

  /**
   * Sets the probability of random erasing (a random rectangle of 2-40 % of a training image filled
   * with random pixels), on top of the augmentation's crops and flips. Defaults to 0 (none).
   *
   * @param erasing a probability in [0, 1]
   * @return this builder
   */
  public TrainingConfigBuilder optErasing(float erasing) {
    this.erasing = erasing;
    return this;
  }

  /**
   * Keeps an exponential moving average of the weights, updated after every optimizer step with
   * this decay (ramped up over the first steps); the averaged weights are then the ones validated
   * every epoch, kept as the best and exported. Defaults to 0: no average, the raw weights.
   *
   * @param averageDecay 0 for none, or in (0, 1), e.g. 0.999
   * @return this builder
   */
  public TrainingConfigBuilder optAverageDecay(float averageDecay) {
    this.averageDecay = averageDecay;
    return this;
  }

  /**
   * Sets the seed of initial weights, shuffling and augmentation. Defaults to 42.
   *
   * @param seed the seed
   * @return this builder
   */
  public TrainingConfigBuilder optSeed(long seed) {
    this.seed = seed;
    return this;
  }

  /**
   * Caps the batches of each epoch, for smoke runs. Defaults to 0 (no cap).
   *
   * @param maxBatchesPerEpoch 0 or more
   * @return this builder
   */
  public TrainingConfigBuilder optMaxBatchesPerEpoch(int maxBatchesPerEpoch) {
    this.maxBatchesPerEpoch = maxBatchesPerEpoch;
    return this;
  }

  /**
   * Sets how many threads share every batch (data parallelism on this machine: each runs the
   * network on its share of the images, and their gradients add up before the one optimizer step).
   * Defaults to {@link #DEFAULT_WORKERS}, the number of processors. The result depends on it only
   * through batch-norm statistics, which are computed per share: a run resumed with another number
   * continues correctly, but ends where an uninterrupted run ends only with the same number.
   *
   * @param workers 1 or more
   * @return this builder
   */
  public TrainingConfigBuilder optWorkers(int workers) {
    this.workers = workers;
    return this;
  }

  /**
   * Resumes from a checkpoint directory ({@code <output>/checkpoints} of an earlier run, or one
   * {@code epoch-NNNN} in it). The run must have the same network, data and seed.
   *
   * @param checkpoint the directory, or null for a fresh run
   * @return this builder
   */
  public TrainingConfigBuilder optResumeFrom(Path checkpoint) {
    this.resumeFrom = checkpoint;
    return this;
  }

  /**
   * Starts from the weights of an existing model artifact (fine-tuning) instead of random ones. Its
   * width and channels are used; its classifier is kept when the class count matches.
   *
   * @param artifact an artifact directory or archive, or null
   * @return this builder
   */
  public TrainingConfigBuilder optFineTuneFrom(Path artifact) {
    this.fineTuneFrom = artifact;
    return this;
  }

  /**
   * Starts from the weights of a version registered in a model store, as {@link
   * #optFineTuneFrom(Path)} does from an artifact; the version is fetched and verified first (see
   * {@link ParentVersion}) and recorded as the new version's parent.
   *
   * @param parent the version, or null
   * @return this builder
   */
  public TrainingConfigBuilder optFineTuneFrom(ParentVersion parent) {
    this.parentVersion = parent;
    return this;
  }

  /**
   * Sets the device. Defaults to {@code auto} (a GPU when DJL sees one).
   *
   * @param device auto, cpu, gpu or gpu:N
   * @return this builder
   */
  public TrainingConfigBuilder optDevice(String device) {
    this.device = device;
    return this;
  }

  /**
   * Validates the settings and builds the configuration.
   *
   * @return the configuration
   * @throws IllegalArgumentException naming the first setting that is missing or out of range
   */
  public TrainingConfig build() {
    Objects.requireNonNull(dataSource, "setDataSource is required");
    Objects.requireNonNull(outputDirectory, "setOutputDirectory is required");
    requireId("model name (setModelName)", modelName);
    requireId("version (setVersion)", version);
    require(epochs >= 1, "epochs must be at least 1, got " + epochs);
    require(batchSize >= 2, "batch size must be at least 2, got " + batchSize);
    require(
        widthMultiplier > 0 && widthMultiplier <= 1,
        "width multiplier must be in (0, 1], got " + widthMultiplier);
    require(
        inputSize >= MobileNetV1.MIN_INPUT_SIZE,
        "input size must be at least " + MobileNetV1.MIN_INPUT_SIZE + ", got " + inputSize);
    require(channels == 0 || channels == 1 || channels == 3, "channels must be 0, 1 or 3");
    require(learningRate >= 0, "learning rate must be positive, got " + learningRate);
    require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
    require(
        Float.isNaN(warmupEpochs) || (warmupEpochs >= 0 && warmupEpochs < epochs),
        "warm-up must be 0 or more and less than the " + epochs + " epochs, got " + warmupEpochs);
    require(weightDecay >= 0, "weight decay must be 0 or more, got " + weightDecay);
    require(
        labelSmoothing >= 0 && labelSmoothing < 1,
        "label smoothing must be in [0, 1), got " + labelSmoothing);
    require(erasing >= 0 && erasing <= 1, "erasing must be in [0, 1], got " + erasing);
    require(
        averageDecay == 0 || (averageDecay > 0 && averageDecay < 1),
        "average decay must be 0 (none) or in (0, 1), got " + averageDecay);
    require(maxBatchesPerEpoch >= 0, "max batches must be 0 or more, got " + maxBatchesPerEpoch);
    require(workers >= 1, "workers must be 1 or more, got " + workers);
    require(
        resumeFrom == null || (fineTuneFrom == null && parentVersion == null),
        "resume and fine-tune exclude each other: a checkpoint already holds the weights");
    require(
        fineTuneFrom == null || parentVersion == null,
        "fine-tune from an artifact or from a stored version, not both");
    return new TrainingConfig(this);
  }

  private static void requireId(String what, String value) {
    require(
        value != null && ID.matcher(value).matches(),
        what + " must be 1-128 letters, digits, '.', '_' or '-', got " + value);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
