package io.glimpse.ops.cli;

import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.image.ImageRejectedException;
import io.glimpse.model.inference.InferenceException;
import io.glimpse.model.store.ModelStoreException;
import io.glimpse.ops.bench.BenchReport;
import io.glimpse.ops.bench.BenchSettings;
import io.glimpse.ops.bench.DriftBench;
import io.glimpse.ops.bench.DriftPredictions;
import io.glimpse.ops.bench.DriftReport;
import io.glimpse.ops.bench.DriftSettings;
import io.glimpse.ops.bench.EngineBench;
import io.glimpse.ops.bench.EngineReport;
import io.glimpse.ops.bench.EngineSettings;
import io.glimpse.ops.bench.ImageContent;
import io.glimpse.ops.bench.ImageFormat;
import io.glimpse.ops.bench.PipelineBench;
import io.glimpse.ops.bench.PrecisionAccuracy;
import io.glimpse.ops.bench.ReloadBench;
import io.glimpse.ops.bench.ReloadReport;
import io.glimpse.ops.bench.ReloadSettings;
import io.glimpse.ops.bench.ScaleOutBench;
import io.glimpse.ops.bench.ScaleOutReport;
import io.glimpse.ops.bench.ScaleOutSettings;
import io.glimpse.ops.bench.TrainBench;
import io.glimpse.ops.bench.TrainReport;
import io.glimpse.ops.bench.TrainSettings;
import io.glimpse.ops.demo.DemoData;
import io.glimpse.trainer.TrainingException;
import io.glimpse.trainer.data.DatasetException;
import io.glimpse.trainer.data.FashionMnist;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code glimpse bench}: benchmarks; {@code glimpse bench pipeline} is the pipeline's. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks (run on an embedded stack in this process).",
    subcommands = {
      BenchCommand.Pipeline.class,
      BenchCommand.Reload.class,
      BenchCommand.ScaleOut.class,
      BenchCommand.Engine.class,
      BenchCommand.Precision.class,
      BenchCommand.Drift.class,
      BenchCommand.Train.class
    })
public final class BenchCommand implements Runnable {
  @Spec private CommandSpec spec;

  /** Prints a report (one JSON line, or a table that ends its own lines); 0, the exit code. */
  private static int print(CommandSpec spec, String report) {
    PrintWriter out = spec.commandLine().getOut();
    out.print(report.endsWith("\n") ? report : report + System.lineSeparator());
    out.flush();
    return 0;
  }

  /** Called without a subcommand: a usage error. */
  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "Missing benchmark: choose pipeline, reload, scaleout, engine, precision, drift or train.");
  }

  /**
   * {@code glimpse bench pipeline}: raw model throughput vs. the real pipeline (batched and one
   * record at a time) and its latency at a fixed load, in one run; see {@link PipelineBench}.
   */
  @Command(
      name = "pipeline",
      mixinStandardHelpOptions = true,
      description = {
        "Measure, in one run: raw throughput (decode, preprocess, DJL inference on images in"
            + " memory), the pipeline's throughput at batch size B and at 1 on an embedded Kafka"
            + " stack, and its end-to-end latency at a fixed load. The model is an untrained"
            + " MobileNetV1 (throughput does not depend on weights).",
        "With --content photo, the images are camera-sized, photo-like JPEGs. A Python peer"
            + " (--peer) does the same job on the same broker, as a careful Python user would.",
        "A default run takes 1-3 minutes."
      })
  static final class Pipeline implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(
        names = "--width",
        defaultValue = "0.25",
        description = "MobileNet width α (default: ${DEFAULT-VALUE}).")
    private float width;

    @Option(
        names = "--input-size",
        defaultValue = "64",
        description = "Model input height and width (default: ${DEFAULT-VALUE}).")
    private int inputSize;

    @Option(
        names = "--channels",
        defaultValue = "3",
        description = "Model input channels, 1 or 3 (default: ${DEFAULT-VALUE}).")
    private int channels;

    @Option(
        names = "--classes",
        defaultValue = "10",
        description = "Model output classes (default: ${DEFAULT-VALUE}).")
    private int classes;

    @Option(
        names = "--batch-size",
        defaultValue = "32",
        description = "B: raw batch size and glimpse.batch.max.size (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    @Option(
        names = "--images",
        defaultValue = "3000",
        description = "M: images pre-published per throughput phase (default: ${DEFAULT-VALUE}).")
    private int images;

    @Option(
        names = "--image-size",
        defaultValue = "0",
        description =
            "Size of the encoded source images, N (square) or WxH; 0 = the input size, or 640x480"
                + " for --content photo (default).")
    private String imageSize;

    @Option(
        names = "--content",
        defaultValue = "synthetic",
        description =
            "What the source images show: synthetic (a gradient, discs and salt noise at the input"
                + " size) or photo (camera-sized, photo-like JPEGs of quality 85, about 45 KB at"
                + " 640x480) (default: ${DEFAULT-VALUE}).")
    private String content;

    @Option(
        names = "--format",
        defaultValue = "jpeg",
        description = "Source encoding: jpeg, png or raw (default: ${DEFAULT-VALUE}).")
    private String format;

    @Option(
        names = "--load-seconds",
        defaultValue = "20",
        description = "Seconds of paced load for the latency probe (default: ${DEFAULT-VALUE}).")
    private int loadSeconds;

    @Option(
        names = "--load-fraction",
        defaultValue = "0.5,0.8",
        split = ",",
        description =
            "Offered loads for the latency probes, as fractions of the measured pipeline"
                + " throughput (default: ${DEFAULT-VALUE}).")
    private List<Double> loadFractions;

    @Option(
        names = "--low-rate",
        defaultValue = "20",
        description =
            "A low offered load, images/s, probed before the fractions; 0 skips it (default:"
                + " ${DEFAULT-VALUE}).")
    private double lowRate;

    @Option(
        names = "--idle-flush",
        negatable = true,
        defaultValue = "true",
        fallbackValue = "true",
        description =
            "Classify and commit as soon as no input waits (the pipeline's default);"
                + " --no-idle-flush waits for batch size, linger and commit interval only.")
    private boolean idleFlush;

    @Option(
        names = "--guarantee",
        defaultValue = "exactly_once_v2",
        description =
            "processing.guarantee: exactly_once_v2 or at_least_once (default: ${DEFAULT-VALUE}).")
    private String guarantee;

    @Option(
        names = "--threads",
        defaultValue = "0",
        description =
            "num.stream.threads; 0 = the pipeline's choice (one per core when the model runs"
                + " best on one intra-op thread, else one; default).")
    private int threads;

    @Option(
        names = "--partitions",
        defaultValue = "0",
        description = "Partitions of the images topic; 0 = one per stream thread (default).")
    private int partitions;

    @Option(
        names = "--linger-ms",
        defaultValue = "20",
        description = "glimpse.batch.max.linger.ms (default: ${DEFAULT-VALUE}).")
    private long lingerMs;

    @Option(
        names = "--commit-interval-ms",
        defaultValue = "-1",
        description = "commit.interval.ms; -1 = the pipeline's default (default).")
    private long commitIntervalMs;

    @Option(
        names = "--warm-up-runs",
        defaultValue = "2",
        description =
            "Unreported batched pipeline runs first, for the JIT (default: ${DEFAULT-VALUE}).")
    private int warmUpRuns;

    @Option(
        names = "--bad-fraction",
        defaultValue = "0.02",
        description =
            "Share of poison records (not Avro, unknown schema id, undecodable JPEG, unsupported"
                + " type, tombstone) in a second batched run, reported beside the clean one;"
                + " 0 skips it (default: ${DEFAULT-VALUE}).")
    private double badFraction;

    @Option(
        names = "--peer",
        negatable = true,
        description =
            "Run a Python peer on the same images and broker: a Confluent-client, PIL and PyTorch"
                + " eager loop with at-least-once commits, by /usr/bin/python3 (Debian's"
                + " python3-confluent-kafka, -avro, -pil, -torch); reports its images/s and"
                + " pipeline/peer. Default: when that Python can import them.")
    private Boolean peer;

    @Option(
        names = "--peer-threads",
        defaultValue = "0",
        description =
            "The peer's torch.set_num_threads; 0 = 1 for inputs up to 64x64, else 2 (default).")
    private int peerThreads;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    private boolean json;

    @Override
    public Integer call()
        throws ModelArtifactException,
            InferenceException,
            ImageRejectedException,
            InterruptedException {
      BenchReport report = PipelineBench.run(settings());
      return print(spec, json ? report.toJson() : report.toTable());
    }

    private BenchSettings settings() {
      try {
        int[] size = imageSize(imageSize);
        BenchSettings.Builder builder =
            BenchSettings.builder()
                .optWidthMultiplier(width)
                .optInputSize(inputSize)
                .optChannels(channels)
                .optClasses(classes)
                .optBatchSize(batchSize)
                .optImages(images)
                .optImageSize(size[0], size[1])
                .optFormat(enumValue(ImageFormat.class, "--format", format))
                .optContent(enumValue(ImageContent.class, "--content", content))
                .optLoadSeconds(loadSeconds)
                .optLoadFractions(loadFractions)
                .optLowRate(lowRate)
                .optIdleFlush(idleFlush)
                .optGuarantee(guarantee)
                .optThreads(threads)
                .optPartitions(partitions)
                .optLingerMs(lingerMs)
                .optCommitIntervalMs(commitIntervalMs)
                .optWarmUpRuns(warmUpRuns)
                .optBadFraction(badFraction)
                .optPeerThreads(peerThreads);
        if (peer != null) {
          builder.optPeer(peer);
        }
        return builder.build();
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
    }

    /** {@code N} or {@code WxH} as {width, height}. */
    private static int[] imageSize(String text) {
      String[] parts = text.strip().toLowerCase(Locale.ROOT).split("x", -1);
      try {
        if (parts.length == 1) {
          int size = Integer.parseInt(parts[0]);
          return new int[] {size, size};
        }
        if (parts.length == 2) {
          return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        }
      } catch (NumberFormatException e) {
        // the message below says what is expected
      }
      throw new IllegalArgumentException(
          "--image-size must be N or WxH (e.g. 640x480), got " + text);
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String option, String text) {
      try {
        return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            option
                + " must be one of "
                + Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT))
                    .toList()
                + ", got "
                + text,
            e);
      }
    }
  }

  /**
   * {@code glimpse bench engine}: Glimpse's forward pass side by side with PyTorch's on the same
   * network; see {@link EngineBench}.
   */
  @Command(
      name = "engine",
      mixinStandardHelpOptions = true,
      description = {
        "Measure, in one run, the forward pass as the pipeline runs it (folded in fp32 and in bf16,"
            + " and the trained DJL"
            + " block op by op) against PyTorch eager and TorchScript on an identical MobileNetV1"
            + " (Debian's python3-torch, when installed), in alternating rounds; images/s and"
            + " Glimpse/PyTorch eager. Random weights: throughput does not depend on them.",
        "A default run takes about 5 minutes."
      })
  static final class Engine implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(
        names = "--models",
        split = ",",
        defaultValue = "0.25:3x64x64,1.0:3x224x224",
        description = "Models as α:CxSxS (default: ${DEFAULT-VALUE}).")
    private List<String> models;

    @Option(
        names = "--classes",
        defaultValue = "10",
        description = "Output classes (default: ${DEFAULT-VALUE}).")
    private int classes;

    @Option(
        names = "--batches",
        split = ",",
        defaultValue = "1,8,32",
        description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    private List<Integer> batches;

    @Option(
        names = "--rounds",
        defaultValue = "5",
        description = "Alternating rounds; medians are reported (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(
        names = "--seconds",
        defaultValue = "1.0",
        description = "Least seconds of one side's round (default: ${DEFAULT-VALUE}).")
    private double seconds;

    @Option(
        names = "--device",
        defaultValue = "cpu",
        description =
            "cpu, gpu or gpu:N; a GPU needs a CUDA libtorch 2.7.1 (default: ${DEFAULT-VALUE}).")
    private String device;

    @Option(names = "--no-pytorch", description = "Leave PyTorch's side out.")
    private boolean noPytorch;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    private boolean json;

    @Override
    public Integer call() throws ModelArtifactException, InferenceException, InterruptedException {
      EngineSettings settings;
      try {
        settings = EngineSettings.of(models, classes, batches, rounds, seconds, device, !noPytorch);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      EngineReport report = EngineBench.run(settings);
      return print(spec, json ? report.toJson() : report.toTable());
    }
  }

  /**
   * {@code glimpse bench reload}: a promote while instances drain a backlog with poison records in
   * it; see {@link ReloadBench}.
   */
  @Command(
      name = "reload",
      mixinStandardHelpOptions = true,
      description = {
        "Measure hot reload under load: instances sharing one application id drain a probe of"
            + " JPEG images (with poison records mixed in) to measure their rate, then a backlog"
            + " sized from it to outlast the steady windows before and after the swap, while v1"
            + " is served; v2 is promoted mid-run. Exits 1 when either steady window was not"
            + " measured. Reports the steady throughput, the throughput lost around the swap, the"
            + " time from the promote to the first v2 prediction and to the last partition's"
            + " switch, and errors (duplicates, missing, flips back, unexpected dead letters).",
        "A default run takes about a minute."
      })
  static final class Reload implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Mixin private final PipelineShapeOptions shape = new PipelineShapeOptions(0.25f, 64);

    @Option(
        names = "--probe-images",
        defaultValue = "6000",
        description =
            "Records drained first to measure the rate the backlog is sized from"
                + " (default: ${DEFAULT-VALUE}).")
    private int probeImages;

    @Option(
        names = "--bad-fraction",
        defaultValue = "0.02",
        description = "Share of poison records (default: ${DEFAULT-VALUE}).")
    private double badFraction;

    @Option(
        names = "--instances",
        defaultValue = "2",
        description = "Pipeline instances, one application id (default: ${DEFAULT-VALUE}).")
    private int instances;

    @Option(
        names = "--steady-seconds",
        defaultValue = "6",
        description =
            "Seconds of steady rate measured before the promote (default: ${DEFAULT-VALUE}).")
    private int steadySeconds;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    private boolean json;

    @Override
    public Integer call() throws ModelArtifactException, ModelStoreException, InterruptedException {
      ReloadSettings settings;
      try {
        settings =
            new ReloadSettings(shape.shape(), probeImages, badFraction, instances, steadySeconds);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      ReloadReport report = ReloadBench.run(settings);
      print(spec, json ? report.toJson() : report.toTable());
      if (!report.bothWindowsMeasured()) {
        spec.commandLine().getErr().println("glimpse bench reload: " + report.missingWindows());
        return 1;
      }
      return 0;
    }
  }

  /**
   * {@code glimpse bench scaleout}: one pipeline process, then two, then one again, on one embedded
   * broker; see {@link ScaleOutBench}.
   */
  @Command(
      name = "scaleout",
      mixinStandardHelpOptions = true,
      description = {
        "Measure what a second pipeline process buys and costs on one embedded broker: throughput"
            + " and CPU per process with one and two processes (saturated), end-to-end latency at a"
            + " low rate and at 80 % of saturation, the longest time without a visible prediction"
            + " when the second process joins, when v2 is promoted (and how long until both serve"
            + " it) and when one process stops; poison records are mixed in throughout. Exits 1 on"
            + " a lost, duplicated or wrongly dead-lettered record.",
        "Each process is a separate JVM on this machine; a default run takes about five minutes."
      })
  static final class ScaleOut implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Mixin private final PipelineShapeOptions shape = new PipelineShapeOptions(1.0f, 224);

    @Option(
        names = "--phase-seconds",
        defaultValue = "20",
        description = "Length of each measured phase (default: ${DEFAULT-VALUE}).")
    private int phaseSeconds;

    @Option(
        names = "--bad-fraction",
        defaultValue = "0.02",
        description = "Share of poison records, throughout (default: ${DEFAULT-VALUE}).")
    private double badFraction;

    @Option(
        names = "--backlog",
        defaultValue = "200",
        description = "Records kept waiting when saturated (default: ${DEFAULT-VALUE}).")
    private int backlog;

    @Option(
        names = "--log-dir",
        description = "Keep the pipeline processes' logs here (default: a temporary directory).")
    private Path logDir;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    private boolean json;

    @Override
    public Integer call() throws ModelArtifactException, ModelStoreException, InterruptedException {
      ScaleOutSettings settings;
      try {
        settings = new ScaleOutSettings(shape.shape(), phaseSeconds, badFraction, backlog);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      ScaleOutReport report = ScaleOutBench.run(settings, logDir);
      print(spec, json ? report.toJson() : report.toTable());
      if (report.errorTotal() != 0) {
        spec.commandLine()
            .getErr()
            .println(
                "glimpse bench scaleout: records were lost, duplicated or wrongly dead-lettered");
        return 1;
      }
      return 0;
    }
  }

  /**
   * {@code glimpse bench precision}: a trained artifact's top-1 on the Fashion-MNIST test set in
   * fp32 and bf16; see {@link PrecisionAccuracy}.
   */
  @Command(
      name = "precision",
      mixinStandardHelpOptions = true,
      description = {
        "Classify the Fashion-MNIST test set with a trained artifact served in fp32 and in bf16"
            + " (glimpse.model.precision), through the pipeline's preprocessor and classifier;"
            + " prints both top-1 accuracies and the points bf16 loses."
      })
  static final class Precision implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(
        names = "--model",
        required = true,
        description = "A trained Fashion-MNIST artifact directory or .zip.")
    private Path model;

    @Option(
        names = "--data-dir",
        defaultValue = "/usr/share/datasets/fashion-mnist",
        description = "Fashion-MNIST IDX files (default: ${DEFAULT-VALUE}).")
    private Path dataDir;

    @Option(
        names = "--limit",
        defaultValue = "0",
        description = "At most this many test images (default: all).")
    private int limit;

    @Override
    public Integer call() throws ModelArtifactException, InferenceException, DatasetException {
      return print(spec, PrecisionAccuracy.run(model, dataDir, limit).toText());
    }
  }

  /**
   * {@code glimpse bench drift}: the drift monitor's false alarms and detection at several window
   * sizes, on a trained model's predictions of the Fashion-MNIST test set; see {@link DriftBench}.
   */
  @Command(
      name = "drift",
      mixinStandardHelpOptions = true,
      description = {
        "Classify the Fashion-MNIST test set with a trained model, then draw random pairs of"
            + " windows of N of its predictions and compute the drift monitor's PSI (top-1 classes,"
            + " top-1 confidence in bins of 0.1) as the pipeline does: its quantiles and the"
            + " false-alarm rate per threshold when nothing changed, and whether a stream of only"
            + " three classes alerts. Recommends the lowest threshold below the false-alarm limit"
            + " that catches every three-class window.",
        "A default run takes about a minute after the model is ready."
      })
  static final class Drift implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(
        names = "--model",
        paramLabel = "<artifact>",
        description =
            "A trained Fashion-MNIST artifact (directory or .zip); default: the demo's quick model"
                + " under --data-dir, trained now if there is none yet (about a minute).")
    private Path model;

    @Option(
        names = "--data-dir",
        defaultValue = "data",
        description = "Where the demo keeps its models (default: ${DEFAULT-VALUE}).")
    private Path dataDir;

    @Option(
        names = "--fashion-mnist",
        paramLabel = "<dir>",
        description = "Fashion-MNIST's four IDX files (default: ${DEFAULT-VALUE}).")
    private Path fashionMnist = FashionMnist.DEFAULT_DIRECTORY;

    @Option(
        names = "--limit",
        defaultValue = "0",
        description = "At most this many test images (default: all).")
    private int limit;

    @Option(
        names = "--windows",
        split = ",",
        defaultValue = "500,1000,2000,5000",
        description = "Window sizes N, images (default: ${DEFAULT-VALUE}).")
    private List<Integer> windows;

    @Option(
        names = "--pairs",
        defaultValue = "2000",
        description = "No-drift pairs per window size (default: ${DEFAULT-VALUE}).")
    private int pairs;

    @Option(
        names = "--detection-pairs",
        defaultValue = "100",
        description = "Three-class windows per triple and size (default: ${DEFAULT-VALUE}).")
    private int detectionPairs;

    @Option(
        names = "--thresholds",
        split = ",",
        defaultValue = "0.02,0.05,0.1,0.2,0.25",
        description = "PSI thresholds (default: ${DEFAULT-VALUE}).")
    private List<Double> thresholds;

    @Option(
        names = "--triples",
        split = ",",
        defaultValue = "0-1-2,2-4-6,5-7-9",
        description = "Three-class streams, as class indices (default: ${DEFAULT-VALUE}).")
    private List<String> triples;

    @Option(
        names = "--recommend-for",
        defaultValue = "2000",
        description =
            "The window size (glimpse.drift.window.images) to recommend a threshold for (default:"
                + " ${DEFAULT-VALUE}).")
    private int recommendFor;

    @Option(
        names = "--max-false-alarm",
        defaultValue = "0.01",
        description = "False alarms per window the threshold must stay below (default: 1 %%).")
    private double maxFalseAlarm;

    @Option(
        names = "--seed",
        defaultValue = "42",
        description = "Seed of the draws (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--json", description = "Print one JSON object instead of tables.")
    private boolean json;

    @Option(
        names = "--json-file",
        paramLabel = "<file>",
        description = "Also write the JSON object to this file.")
    private Path jsonFile;

    @Override
    public Integer call()
        throws ModelArtifactException,
            InferenceException,
            DatasetException,
            TrainingException,
            IOException {
      DriftSettings settings;
      try {
        settings =
            new DriftSettings(
                windows,
                pairs,
                detectionPairs,
                thresholds,
                triples.stream().map(Drift::triple).toList(),
                recommendFor,
                maxFalseAlarm,
                seed);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      if (!FashionMnist.isPresent(fashionMnist)) {
        throw new DatasetException(
            "Fashion-MNIST is not in "
                + fashionMnist
                + ": sudo apt-get install dataset-fashion-mnist, or name its directory with"
                + " --fashion-mnist");
      }
      // Progress goes to stderr, so that --json prints nothing but the report on stdout.
      PrintWriter err = spec.commandLine().getErr();
      Path artifact =
          model != null ? model : QuickModel.ensure(dataDir, DemoData.find(fashionMnist), err);
      err.println("Classifying the Fashion-MNIST test set with " + artifact + "...");
      err.flush();
      DriftPredictions predictions = DriftPredictions.classify(artifact, fashionMnist, limit);
      DriftReport report;
      try {
        report = DriftBench.measure(predictions, settings);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      if (jsonFile != null) {
        Files.writeString(jsonFile, report.toJson() + "\n", StandardCharsets.UTF_8);
      }
      return print(spec, json ? report.toJson() : report.toTable());
    }

    /** {@code 0-1-2} as [0, 1, 2]. */
    private static List<Integer> triple(String text) {
      try {
        return Arrays.stream(text.strip().split("-")).map(Integer::valueOf).toList();
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--triples must be class indices joined by '-', e.g. 0-1-2, got " + text, e);
      }
    }
  }

  /**
   * {@code glimpse bench train}: one training step of the default recipe's network as {@code
   * glimpse train} takes it, side by side with PyTorch eager; see {@link TrainBench}.
   */
  @Command(
      name = "train",
      mixinStandardHelpOptions = true,
      description = {
        "Measure, in one run, one training step (forward, label-smoothed cross-entropy, backward,"
            + " SGD with momentum) of the default recipe's MobileNetV1 as glimpse train takes it,"
            + " in each worker layout, against PyTorch eager on an identical network, batch and"
            + " thread count (Debian's python3-torch, when installed), the sides alternating;"
            + " median and p90 step, images/s and PyTorch's step over Glimpse's. With the"
            + " breakdown, one worker's step is also timed phase by phase beside PyTorch's.",
        "A default run takes about a minute."
      })
  static final class Train implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(
        names = "--width",
        defaultValue = "0.5",
        description = "MobileNet width α (default: ${DEFAULT-VALUE}, the recipe's).")
    private float width;

    @Option(
        names = "--input-size",
        defaultValue = "64",
        description = "Input height and width (default: ${DEFAULT-VALUE}).")
    private int inputSize;

    @Option(
        names = "--channels",
        defaultValue = "1",
        description = "Input channels (default: ${DEFAULT-VALUE}, Fashion-MNIST's).")
    private int channels;

    @Option(
        names = "--classes",
        defaultValue = "10",
        description = "Output classes (default: ${DEFAULT-VALUE}).")
    private int classes;

    @Option(
        names = "--batch-size",
        defaultValue = "128",
        description = "Images per step (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    @Option(
        names = "--steps",
        defaultValue = "30",
        description = "Measured steps per side (default: ${DEFAULT-VALUE}).")
    private int steps;

    @Option(
        names = "--warmup",
        defaultValue = "3",
        description = "Warm-up steps per side, left out (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(
        names = "--rounds",
        defaultValue = "6",
        description = "Turns the sides take, splitting the steps (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(
        names = "--layouts",
        split = ",",
        description =
            "Glimpse's layouts as workers x threads, e.g. 2x1,1x2 (default: the trainer's, one"
                + " worker per core with one thread each, and one worker on every core).")
    private List<String> layouts;

    @Option(names = "--no-breakdown", description = "Leave out the phase-by-phase step.")
    private boolean noBreakdown;

    @Option(names = "--no-pytorch", description = "Leave PyTorch's side out.")
    private boolean noPytorch;

    @Option(names = "--json", description = "Print one JSON object instead of tables.")
    private boolean json;

    @Option(
        names = "--json-file",
        paramLabel = "<file>",
        description = "Also write the JSON object to this file.")
    private Path jsonFile;

    @Override
    public Integer call() throws TrainingException, IOException {
      TrainSettings settings;
      try {
        settings =
            new TrainSettings(
                width,
                inputSize,
                channels,
                classes,
                batchSize,
                steps,
                warmup,
                rounds,
                layouts == null
                    ? TrainSettings.defaultLayouts(Runtime.getRuntime().availableProcessors())
                    : layouts.stream().map(TrainSettings.Layout::parse).toList(),
                !noBreakdown,
                !noPytorch);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      TrainReport report = TrainBench.run(settings);
      if (jsonFile != null) {
        Files.writeString(jsonFile, report.toJson() + "\n", StandardCharsets.UTF_8);
      }
      return print(spec, json ? report.toJson() : report.toTable());
    }
  }
}
