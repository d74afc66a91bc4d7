package io.glimpse.ops.cli;

import io.glimpse.lifecycle.ModelCatalog;
import io.glimpse.lifecycle.OnlineAccuracy;
import io.glimpse.lifecycle.PublishException;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.ops.demo.DemoData;
import io.glimpse.ops.demo.DemoLifecycle;
import io.glimpse.ops.demo.DemoLifecycleException;
import io.glimpse.ops.demo.DemoReport;
import io.glimpse.ops.demo.DemoRetraining;
import io.glimpse.ops.demo.DemoSummary;
import io.glimpse.ops.demo.DemoTraffic;
import io.glimpse.pipeline.GlimpsePipeline;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.trainer.TrainingException;
import io.glimpse.trainer.data.DatasetException;
import io.glimpse.trainer.data.FashionMnist;
import io.glimpse.trainer.data.ImageDataset;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code glimpse demo}: the whole system on one machine. Starts the embedded Kafka + registry,
 * serves a model (trained on first use), runs the pipeline, publishes labelled test images (and a
 * few broken records), prints what comes out every two seconds — throughput, latency, accuracy,
 * dead letters — and a summary of the whole run when it stops.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run Glimpse end to end on the embedded stack: images in, predictions out.",
      "The first run trains a quick model (about a minute); later runs reuse it."
    })
public final class DemoCommand implements Callable<Integer> {
  /** How long the last published records get to come out of the pipeline before the summary. */
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

  @Spec private CommandSpec spec;
  @Mixin private StackOptions stackOptions;

  @Option(
      names = "--duration",
      paramLabel = "<seconds>",
      defaultValue = "0",
      description =
          "Stop after this many seconds; 0 = run until Ctrl-C (default: ${DEFAULT-VALUE}).")
  private long durationSeconds;

  @Option(
      names = "--rate",
      defaultValue = "20",
      description = "Images published per second (default: ${DEFAULT-VALUE}).")
  private int rate;

  @Option(
      names = "--model",
      paramLabel = "<artifact>",
      description = "Serve this model artifact (directory or .zip) instead of the demo model.")
  private Path model;

  @Option(
      names = "--fashion-mnist",
      paramLabel = "<dir>",
      description =
          "Directory of Fashion-MNIST's four IDX files; where they are missing, the demo uses"
              + " generated shapes (default: ${DEFAULT-VALUE}).")
  private Path fashionMnist = FashionMnist.DEFAULT_DIRECTORY;

  @Option(
      names = "--promote-after",
      paramLabel = "<seconds>",
      defaultValue = "20",
      description =
          "When an improved version exists from an earlier run, promote it this many seconds"
              + " into the run; on the first run it is trained in the background and promoted when"
              + " ready (default: ${DEFAULT-VALUE}).")
  private long promoteAfterSeconds;

  @Option(
      names = "--improve-batches",
      defaultValue = "300",
      description =
          "Batches of fine-tuning that make the improved version; 0 = serve the quick version"
              + " only (default: ${DEFAULT-VALUE}).")
  private int improveBatches;

  @Option(
      names = "--retrain-every",
      paramLabel = "<n>",
      defaultValue = "0",
      description =
          "Also run glimpse retrain beside the pipeline: every n labelled images fine-tune the"
              + " serving version, judge it on the newest fifth, promote it only if the gate lets it"
              + " through; 0 = off (default: ${DEFAULT-VALUE}).")
  private int retrainEvery;

  @Option(
      names = "--http-port",
      defaultValue = "8080",
      description =
          "Port of the live page (/), /metrics and /health; 0 = any free port (default:"
              + " ${DEFAULT-VALUE}).")
  private int httpPort;

  @Override
  public Integer call()
      throws InterruptedException,
          DatasetException,
          TrainingException,
          ModelArtifactException,
          DemoLifecycleException {
    if (durationSeconds < 0
        || rate < 1
        || promoteAfterSeconds < 0
        || improveBatches < 0
        || (retrainEvery != 0 && retrainEvery < 50)) {
      throw new ParameterException(
          spec.commandLine(),
          "--duration, --promote-after and --improve-batches must be 0 or more, --rate at"
              + " least 1 and --retrain-every 0 or at least 50.");
    }
    PrintWriter out = spec.commandLine().getOut();
    DemoData data = DemoData.find(fashionMnist);
    out.println("Glimpse demo on " + data.source().describe());
    if (data.generated()) {
      out.println(
          "Fashion-MNIST is not in "
              + fashionMnist
              + ", so the demo classifies generated shapes. For the real data set:"
              + " sudo apt-get install dataset-fashion-mnist");
    }
    Path artifact = modelToServe(data, out);
    ImageDataset images = data.source().load().testSet().orElseThrow();
    try (RunningStack stack = RunningStack.start(stackOptions, out)) {
      out.println("Stack is up: " + stack.describe());
      run(stack, data, artifact, images, out);
    }
    return 0;
  }

  private Path modelToServe(DemoData data, PrintWriter out)
      throws DatasetException, TrainingException {
    if (model != null) {
      return model;
    }
    return QuickModel.ensure(stackOptions.dataDir(), data, out);
  }

  /** Runs pipeline, traffic and report until the deadline or a signal, then prints the summary. */
  private void run(
      RunningStack stack, DemoData data, Path artifact, ImageDataset images, PrintWriter out)
      throws InterruptedException, ModelArtifactException, DemoLifecycleException {
    Map<String, Object> clients = stack.clientConfig();
    DemoSummary summary = new DemoSummary(stackOptions.dataDir());
    try (DemoLifecycle lifecycle = model == null ? lifecycle(clients, data, out) : null;
        GlimpsePipeline pipeline =
            GlimpsePipeline.start(pipelineConfig(clients, artifact, lifecycle));
        DemoTraffic traffic = new DemoTraffic(images, clients, "images");
        DemoReport report =
            new DemoReport(clients, "predictions", "images.dlq", summary, traffic.idPrefix())) {
      report.awaitAssignment(Duration.ofSeconds(30));
      out.printf(
          "Pipeline running; live page on http://127.0.0.1:%d/ (metrics on /metrics)."
              + " Publishing %d images/s (every 50th is broken on purpose).%n",
          pipeline.httpPort(), rate);
      out.flush();
      long start = System.nanoTime();
      traffic.start(rate);
      if (lifecycle != null && improveBatches > 0) {
        lifecycle.promoteImprovedLater(Duration.ofSeconds(promoteAfterSeconds), improveBatches);
      }
      DemoRetraining retraining =
          lifecycle == null || retrainEvery == 0
              ? null
              : new DemoRetraining(
                  RunningStack.kafka(clients),
                  lifecycle.store(),
                  lifecycle.modelName(),
                  retrainEvery,
                  stackOptions.dataDir().resolve("runs/retrain"),
                  line -> {
                    out.println(line);
                    out.flush();
                  });
      report(out, report, stack);
      traffic.stop();
      if (retraining != null) {
        retraining.stop(Duration.ofMinutes(1));
        retraining.close();
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      report.drain(traffic.sent(), DRAIN_TIMEOUT);
      out.print(summary.render(traffic.sent(), traffic.brokenSent(), elapsed));
      if (lifecycle != null) {
        out.println(onlineAccuracy(clients, lifecycle.modelName(), traffic.labelsSent()));
      }
      out.flush();
    }
  }

  /**
   * The versions' accuracy on the labels the demo published after its images, as the pipeline's
   * quality application joined them (waiting up to 15 s for its last tallies).
   */
  private static String onlineAccuracy(Map<String, Object> clients, String modelName, long sent) {
    ModelCatalog catalog = new ModelCatalog(RunningStack.kafka(clients));
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    Map<String, OnlineAccuracy> accuracy = Map.of();
    try {
      do {
        accuracy = catalog.onlineAccuracy(modelName);
        long seen = accuracy.values().stream().mapToLong(a -> a.labelled() + a.lateLabels()).sum();
        if (seen >= sent) {
          break;
        }
      } while (System.nanoTime() < deadline);
    } catch (PublishException e) {
      return "Online accuracy: could not read model-quality: " + e.getMessage();
    }
    if (accuracy.isEmpty()) {
      return "Online accuracy: no label joined yet (glimpse models status shows it later).";
    }
    return "Online accuracy (true labels published "
        + DemoTraffic.LABEL_DELAY.toSeconds()
        + " s after each image, joined with the predictions on Kafka; every demo run on this"
        + " stack): "
        + String.join(
            "; ",
            accuracy.values().stream()
                .map(
                    a ->
                        String.format(
                            Locale.ROOT,
                            "%s %.2f %% of %d labels",
                            a.version(),
                            100 * a.accuracy().orElse(0.0),
                            a.labelled()))
                .toList());
  }

  /** Registers the quick version in the demo's store and deploys it. */
  private DemoLifecycle lifecycle(Map<String, Object> clients, DemoData data, PrintWriter out)
      throws DemoLifecycleException {
    DemoLifecycle lifecycle =
        new DemoLifecycle(
            stackOptions.dataDir(),
            data,
            RunningStack.kafka(clients),
            line -> {
              out.println(line);
              out.flush();
            });
    try {
      lifecycle.deployQuick();
    } catch (DemoLifecycleException | RuntimeException e) {
      lifecycle.close();
      throw e;
    }
    return lifecycle;
  }

  private PipelineConfig pipelineConfig(
      Map<String, Object> clients, Path artifact, DemoLifecycle lifecycle) {
    Map<String, Object> settings = new HashMap<>(clients);
    settings.put("application.id", "glimpse-demo");
    // State beside the stack's data, as up keeps it: a stack in another data directory is another
    // cluster, and its offsets mean nothing to this one.
    settings.put(
        StreamsConfig.STATE_DIR_CONFIG, stackOptions.dataDir().resolve("streams").toString());
    if (lifecycle == null) {
      settings.put(PipelineConfig.MODEL_PATH, artifact.toString());
    } else {
      settings.put(PipelineConfig.MODEL_NAME, lifecycle.modelName());
      settings.put(PipelineConfig.MODEL_STORE, lifecycle.store().uri().toString());
    }
    settings.put(PipelineConfig.HTTP_PORT, httpPort);
    settings.put(PipelineConfig.BATCH_MAX_LINGER_MS, 100);
    settings.put(PipelineConfig.QUALITY_EMIT_INTERVAL_MS, 1000);
    return PipelineConfig.of(settings);
  }

  private void report(PrintWriter out, DemoReport report, RunningStack stack) {
    long deadline =
        durationSeconds == 0
            ? Long.MAX_VALUE
            : System.nanoTime() + durationSeconds * 1_000_000_000L;
    while (System.nanoTime() < deadline && !stack.stopping()) {
      out.println(report.poll(Duration.ofSeconds(2)));
      out.flush();
    }
  }
}
