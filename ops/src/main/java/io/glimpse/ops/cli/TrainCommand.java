package io.glimpse.ops.cli;

import io.glimpse.lifecycle.KafkaConnection;
import io.glimpse.lifecycle.Publication;
import io.glimpse.lifecycle.PublishException;
import io.glimpse.lifecycle.PublishedVersion;
import io.glimpse.lifecycle.VersionPublisher;
import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.store.ModelStore;
import io.glimpse.model.store.ModelStoreException;
import io.glimpse.ops.cli.connection.ConnectionSettings;
import io.glimpse.ops.cli.connection.KafkaOptions;
import io.glimpse.ops.cli.connection.S3Options;
import io.glimpse.trainer.OptimizerKind;
import io.glimpse.trainer.ParentVersion;
import io.glimpse.trainer.TrainingConfig;
import io.glimpse.trainer.TrainingConfigBuilder;
import io.glimpse.trainer.TrainingException;
import io.glimpse.trainer.TrainingJob;
import io.glimpse.trainer.TrainingResult;
import io.glimpse.trainer.console.ProgressBar;
import io.glimpse.trainer.console.SummaryTable;
import io.glimpse.trainer.data.Augmentation;
import io.glimpse.trainer.data.DataSource;
import io.glimpse.trainer.data.DatasetException;
import io.glimpse.trainer.data.DatasetKind;
import io.glimpse.trainer.data.DatasetOptions;
import io.glimpse.trainer.data.FitMode;
import io.glimpse.trainer.data.KafkaTopicSource;
import io.glimpse.trainer.data.TopicRead;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code glimpse train}: trains a MobileNetV1 version, stores it, and optionally announces and
 * promotes it. A thin shell over {@link TrainingJob} and {@link Publication}: options become a
 * {@link TrainingConfig}, progress goes to stderr, the summary table to stdout.
 */
@Command(
    name = "train",
    sortOptions = false,
    description = {
      "Train a MobileNetV1 model version, store it, and optionally publish and promote it.",
      "Writes <output>/artifact, metrics.json, training-curves.png, confusion-matrix.png and"
          + " checkpoints/, then copies the artifact to <store>/<name>/<version>/.",
      "With --from-topic the images are a pinned range of a topic of labelled ImageEvents; the"
          + " manifest records the range and the SHA-256 of what was read."
    })
public final class TrainCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  // Not mixinStandardHelpOptions: its --version would clash with the model version option.
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  private boolean help;

  @Option(
      names = "--dataset",
      paramLabel = "<kind>",
      description = "fashion-mnist, cifar10, folder or synthetic (default: ${DEFAULT-VALUE}).")
  private String dataset = "fashion-mnist";

  @Mixin private TopicTrainingOptions topicOptions;

  @Option(
      names = "--data-dir",
      paramLabel = "<dir>",
      description =
          "Where the data set is: Fashion-MNIST IDX files (default"
              + " /usr/share/datasets/fashion-mnist), CIFAR-10 *.bin batches, or one"
              + " subdirectory per class for folder.")
  private Path dataDir;

  @Option(
      names = "--limit",
      paramLabel = "<n>",
      description = "Read at most n images per file or split, for quick runs (0: all).")
  private int limit;

  @Option(
      names = "--validation-fraction",
      paramLabel = "<f>",
      description = "Share of training images held out for validation (default: ${DEFAULT-VALUE}).")
  private double validationFraction = DatasetOptions.DEFAULT_VALIDATION_FRACTION;

  @Option(
      names = "--epochs",
      paramLabel = "<n>",
      description = "Epochs to train (default: ${DEFAULT-VALUE}).")
  private int epochs = TrainingConfigBuilder.DEFAULT_EPOCHS;

  @Option(
      names = "--batch-size",
      paramLabel = "<n>",
      description = "Images per batch (default: ${DEFAULT-VALUE}).")
  private int batchSize = 128;

  @Option(
      names = "--width",
      paramLabel = "<alpha>",
      description = "MobileNet width multiplier α in (0, 1] (default: ${DEFAULT-VALUE}).")
  private float width = 0.5f;

  @Option(
      names = "--input-size",
      paramLabel = "<px>",
      description = "Input height and width, at least 32 (default: ${DEFAULT-VALUE}).")
  private int inputSize = 64;

  @Option(
      names = "--channels",
      paramLabel = "<n>",
      description = "Input channels, 1 or 3 (default: the data set's).")
  private int channels;

  @Option(
      names = "--fit",
      paramLabel = "<mode>",
      description =
          "How images of another size reach the input size: resize (bilinear, what the"
              + " pipeline does when serving) or pad (centre on black; only for clients that pad"
              + " too) (default: ${DEFAULT-VALUE}).")
  private String fit = "resize";

  @Option(
      names = "--optimizer",
      paramLabel = "<name>",
      description = "sgd (momentum 0.9) or adam (default: ${DEFAULT-VALUE}).")
  private String optimizer = "sgd";

  @Option(
      names = "--lr",
      paramLabel = "<rate>",
      description = "Peak learning rate (default: 0.1 for sgd, 0.001 for adam).")
  private float learningRate;

  @Option(
      names = "--momentum",
      paramLabel = "<m>",
      description = "SGD momentum (default: ${DEFAULT-VALUE}).")
  private float momentum = 0.9f;

  @Option(
      names = "--warmup-epochs",
      paramLabel = "<e>",
      description =
          "Epochs of linear learning-rate warm-up before the cosine decay (default: 1, or a"
              + " quarter of the epochs when fewer than 4).")
  private Float warmupEpochs;

  @Option(
      names = "--weight-decay",
      paramLabel = "<wd>",
      description = "L2 decay of conv and linear weights (default: 5e-4).")
  private float weightDecay = 5e-4f;

  @Option(
      names = "--label-smoothing",
      paramLabel = "<eps>",
      description = "Label smoothing ε (default: ${DEFAULT-VALUE}).")
  private float labelSmoothing = 0.1f;

  @Option(
      names = "--crop-padding",
      paramLabel = "<px>",
      description =
          "Random-crop augmentation: shift by up to px pixels, 0 for none (default: 0 for"
              + " fashion-mnist, 4 otherwise).")
  private Integer cropPadding;

  @Option(names = "--no-flip", description = "Do not flip training images horizontally.")
  private boolean noFlip;

  @Option(
      names = "--erasing",
      paramLabel = "<p>",
      description =
          "Random erasing: with probability p a rectangle of 2-40%% of a training image is filled"
              + " with random pixels (default: ${DEFAULT-VALUE}, none).")
  private float erasing;

  @Option(
      names = "--average-decay",
      paramLabel = "<d>",
      description =
          "Keep an exponential moving average of the weights with this decay per step (e.g."
              + " 0.999); the average is validated, kept and exported (default: ${DEFAULT-VALUE},"
              + " none).")
  private float averageDecay;

  @Option(
      names = "--seed",
      paramLabel = "<n>",
      description = "Seed of weights, split, shuffling, augmentation (default: ${DEFAULT-VALUE}).")
  private long seed = 42;

  @Option(
      names = "--max-batches",
      paramLabel = "<n>",
      description = "Train at most n batches per epoch, for smoke runs (0: all).")
  private int maxBatches;

  @Option(
      names = "--resume",
      paramLabel = "<checkpoint>",
      description =
          "Resume from a run's checkpoints/ directory (or one epoch-NNNN in it); use the same"
              + " settings and --version.")
  private Path resume;

  @Option(
      names = "--from",
      paramLabel = "<artifact>",
      description =
          "Fine-tune from a model artifact (directory or zip): its width, channels and"
              + " normalization are kept.")
  private Path from;

  @Option(
      names = "--init-from",
      arity = "1..2",
      paramLabel = "<model> <version>",
      description =
          "Fine-tune a version registered in --store (<model> <version> or <model>:<version>):"
              + " fetched, verified and recorded as the new version's parent.")
  private List<String> initFrom;

  @Option(
      names = "--device",
      paramLabel = "<device>",
      description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
  private String device = "auto";

  @Option(
      names = "--workers",
      paramLabel = "<n>",
      description =
          "Threads that share every batch, each running the network on its share (data"
              + " parallelism; default: one per core, ${DEFAULT-VALUE} here). A resumed run repeats"
              + " an uninterrupted one exactly only with the same number.")
  private int workers = TrainingConfigBuilder.DEFAULT_WORKERS;

  @Option(
      names = "--threads",
      paramLabel = "<n>",
      description =
          "libtorch CPU threads per worker (default: cores / workers, at least 1; libtorch's own"
              + " threads hardly speed up MobileNet's small tensors, separate workers do).")
  private int threads;

  @Option(
      names = "--store",
      paramLabel = "<uri>",
      description =
          "Model store, file:///path, a path or s3://bucket/prefix (see --s3-*; credentials"
              + " come from the AWS SDK's chain) (default: ${DEFAULT-VALUE}).")
  private String store = "models";

  @Mixin private S3Options s3Options;

  @Option(
      names = "--name",
      paramLabel = "<model>",
      description =
          "Model name (default: fashion, cifar10, shapes, the folder's name, the --init-from"
              + " model, or the topic's name).")
  private String name;

  @Option(
      names = "--version",
      paramLabel = "<v>",
      description = "Version to write (default: the next integer in the store).")
  private String version;

  @Option(
      names = "--output",
      paramLabel = "<dir>",
      description = "Run directory (default: runs/<name>-v<version>).")
  private Path output;

  @Option(
      names = "--publish",
      description =
          "Announce the stored version on model-versions (on the Kafka and registry of"
              + " --bootstrap-servers, --schema-registry-url, GLIMPSE_KAFKA_* and --config).")
  private boolean publish;

  /**
   * Kafka and the registry for --from-topic, --publish and --promote, as other commands find them.
   */
  @Mixin private KafkaOptions kafkaOptions;

  @Option(
      names = "--promote",
      description =
          "Also deploy it on model-deployments if its validation accuracy is at least the serving"
              + " version's (implies --publish).")
  private boolean promote;

  @Option(
      names = "--force",
      description =
          "With --promote: deploy even a worse model; a pinned deployment still stays (glimpse"
              + " models unpin lifts the pin).")
  private boolean force;

  @Override
  public Integer call()
      throws DatasetException, TrainingException, ModelStoreException, PublishException {
    if (force && !promote) {
      throw new ParameterException(spec.commandLine(), "--force only applies with --promote");
    }
    // resolved before training, so that a bad --config fails now rather than after the run
    KafkaConnection kafka =
        publish || promote || topicOptions.enabled() ? kafka(System.getenv()) : null;
    try (ModelStore modelStore = s3Options.open(store)) {
      TrainingConfig config = config(modelStore, kafka);
      setThreads(config.workers()); // nothing so far has started libtorch
      PrintWriter err = spec.commandLine().getErr();
      err.printf("Training %s into %s%n", config, config.outputDirectory());
      TrainingResult result =
          new TrainingJob(config, new ProgressBar(err, System.console() != null)).run();
      PrintWriter out = spec.commandLine().getOut();
      SummaryTable.print(result, out);
      printTopicReads(config.dataSource(), out);
      report(publish(result, modelStore, kafka), out);
      return 0;
    }
  }

  private TrainingConfig config(ModelStore modelStore, KafkaConnection kafka)
      throws ModelStoreException {
    DatasetKind kind = parse(() -> DatasetKind.fromCliName(dataset));
    ParentVersion parent = parentVersion(modelStore);
    String model = name != null ? name : defaultName(kind, parent);
    String v = version != null ? version : modelStore.nextVersion(model);
    InputShape shape = new InputShape(channels == 0 ? 3 : channels, inputSize, inputSize);
    DataSource source = dataSource(kind, shape, kafka);
    return parse(
        () ->
            TrainingConfig.builder()
                .setDataSource(source)
                .setModelName(model)
                .setVersion(v)
                .setOutputDirectory(output != null ? output : Path.of("runs", model + "-v" + v))
                .optEpochs(epochs)
                .optBatchSize(batchSize)
                .optWidthMultiplier(width)
                .optInputSize(inputSize)
                .optChannels(channels)
                .optFitMode(FitMode.valueOf(fit.toUpperCase(Locale.ROOT)))
                .optOptimizer(OptimizerKind.fromName(optimizer))
                .optLearningRate(learningRate)
                .optMomentum(momentum)
                .optWarmupEpochs(warmupEpochs == null ? Float.NaN : warmupEpochs)
                .optWeightDecay(weightDecay)
                .optLabelSmoothing(labelSmoothing)
                .optAugmentation(augmentation(source))
                .optErasing(erasing)
                .optAverageDecay(averageDecay)
                .optSeed(seed)
                .optMaxBatchesPerEpoch(maxBatches)
                .optWorkers(workers)
                .optResumeFrom(resume)
                .optFineTuneFrom(from)
                .optFineTuneFrom(parent)
                .optDevice(device)
                .build());
  }

  /** Before libtorch starts; an explicit -Dai.djl.pytorch.num_threads wins over the default. */
  private void setThreads(int workerCount) {
    String property = "ai.djl.pytorch.num_threads";
    if (threads > 0) {
      System.setProperty(property, Integer.toString(threads));
    } else if (System.getProperty(property) == null) {
      int perWorker = Runtime.getRuntime().availableProcessors() / workerCount;
      System.setProperty(property, Integer.toString(Math.max(1, perWorker)));
    }
  }

  /** The data's suggestion, with whatever --crop-padding and --no-flip change. */
  private Augmentation augmentation(DataSource source) {
    Augmentation suggested = source.suggestedAugmentation();
    int crop = cropPadding != null ? cropPadding : suggested.cropPadding();
    return new Augmentation(crop, suggested.horizontalFlip() && !noFlip);
  }

  /** Synthetic images are drawn in the requested channels (gray unless --channels 3). */
  private InputShape syntheticShape(DatasetKind kind, InputShape shape) {
    return kind == DatasetKind.SYNTHETIC && channels == 0
        ? new InputShape(1, shape.height(), shape.width())
        : shape;
  }

  private DataSource dataSource(DatasetKind kind, InputShape shape, KafkaConnection kafka) {
    if (!topicOptions.enabled()) {
      DatasetOptions options = new DatasetOptions(dataDir, limit, validationFraction, seed);
      return kind.source(options, syntheticShape(kind, shape));
    }
    for (String fileOption : new String[] {"--dataset", "--data-dir", "--limit"}) {
      if (spec.commandLine().getParseResult().hasMatchedOption(fileOption)) {
        throw new ParameterException(
            spec.commandLine(), fileOption + " reads files; --from-topic reads a topic: pick one");
      }
    }
    return parse(() -> topicOptions.source(kafka, shape, validationFraction, seed));
  }

  /**
   * Kafka and the registry that {@code --from-topic}, {@code --publish} and {@code --promote} use:
   * {@code --bootstrap-servers} and {@code --schema-registry-url} over {@code GLIMPSE_KAFKA_*} in
   * {@code environment} over {@code --config} over the embedded stack's addresses, with the
   * security and registry settings among them, as {@code publish}, {@code tail} and {@code models}
   * read them.
   *
   * @param environment the process's environment (or a pod's, to check a deployment)
   * @return the connection, each read or send bounded by {@link KafkaConnection#DEFAULT_TIMEOUT}
   * @throws ParameterException when {@code --config} cannot be read or a setting is not valid
   */
  public KafkaConnection kafka(Map<String, String> environment) {
    try {
      ConnectionSettings settings = kafkaOptions.settings(Map.of(), environment);
      return parse(() -> settings.kafka(KafkaConnection.DEFAULT_TIMEOUT));
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** --init-from as a version of --store: {@code fashion 3} or {@code fashion:3}. */
  private ParentVersion parentVersion(ModelStore modelStore) {
    if (initFrom == null) {
      return null;
    }
    List<String> parts = initFrom.size() == 1 ? List.of(initFrom.get(0).split(":", -1)) : initFrom;
    if (parts.size() != 2 || parts.get(0).isBlank() || parts.get(1).isBlank()) {
      throw new ParameterException(
          spec.commandLine(),
          "--init-from takes a model and a version, e.g. --init-from fashion 3 or fashion:3; got "
              + String.join(" ", initFrom));
    }
    return new ParentVersion(modelStore, parts.get(0), parts.get(1));
  }

  /** The range, digest and skipped records of each topic range read, under the summary. */
  private static void printTopicReads(DataSource source, PrintWriter out) {
    if (source instanceof KafkaTopicSource topicSource) {
      topicSource.trainingRead().ifPresent(r -> printTopicRead("train", r, out));
      topicSource.testRead().ifPresent(r -> printTopicRead("test", r, out));
      out.flush();
    }
  }

  private static void printTopicRead(String part, TopicRead read, PrintWriter out) {
    out.printf(
        "%-9s %s partitions %s: %d images%n",
        part, read.range().topic(), read.range().partitions(), read.images());
    out.printf("%-9s sha256:%s%n", "", read.sha256());
    if (read.skipped() > 0) {
      out.printf(
          "%-9s skipped %d unlabelled, %d with an unknown label, %d unreadable%s%n",
          "",
          read.unlabelled(),
          read.unknownLabel(),
          read.unreadable(),
          read.firstProblem() == null ? "" : " (first: " + read.firstProblem() + ")");
    }
  }

  private String defaultName(DatasetKind kind, ParentVersion parent) {
    if (parent != null) {
      return parent.modelName();
    }
    if (topicOptions.enabled()) {
      return topicOptions.topic;
    }
    return switch (kind) {
      case FASHION_MNIST -> "fashion";
      case CIFAR10 -> "cifar10";
      case SYNTHETIC -> "shapes";
      case FOLDER -> dataDir == null ? "images" : dataDir.toAbsolutePath().getFileName().toString();
    };
  }

  private PublishedVersion publish(
      TrainingResult result, ModelStore modelStore, KafkaConnection kafka)
      throws ModelStoreException, PublishException {
    VersionPublisher publisher = publish || promote ? VersionPublisher.of(kafka) : null;
    return Publication.publish(
        result.artifactDirectory(),
        modelStore,
        publisher,
        promote,
        force,
        System.getProperty("user.name") + " (glimpse train)");
  }

  private static void report(PublishedVersion published, PrintWriter out) {
    out.printf("stored    %s%n", published.version().getArtifactUri());
    if (published.announced()) {
      out.printf(
          "published model-versions %s/%s%n",
          published.version().getModelName(), published.version().getVersion());
    }
    published
        .promotion()
        .ifPresent(
            d ->
                out.printf(
                    "promoted  %s (%s)%n",
                    d.promoted() ? "yes" : "no, kept the serving version", d.reason()));
    out.flush();
  }

  private <T> T parse(java.util.function.Supplier<T> parser) {
    try {
      return parser.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
