package io.glimpse.ops.cli;

import io.glimpse.lifecycle.ModelCatalog;
import io.glimpse.lifecycle.PublishException;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.ops.demo.DemoData;
import io.glimpse.ops.demo.DemoLifecycle;
import io.glimpse.ops.demo.DemoLifecycleException;
import io.glimpse.ops.demo.DemoModel;
import io.glimpse.pipeline.GlimpsePipeline;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.pipeline.serving.ServingStatus;
import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.trainer.TrainingException;
import io.glimpse.trainer.data.DatasetException;
import io.glimpse.trainer.data.FashionMnist;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code glimpse up}: the embedded Kafka and schema registry plus one pipeline, as one long-running
 * local service. It serves what {@code model-deployments} deploys, with hot reload; on a fresh
 * stack it deploys the demo's quick model first (trained on first use). It prints the addresses to
 * connect to and the model it serves, says when another version is swapped in, and on Ctrl-C or
 * SIGTERM stops the pipeline (Streams first, then the model), then the stack.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Run Glimpse as a local service: the embedded Kafka and schema registry and one pipeline,"
          + " until Ctrl-C or SIGTERM.",
      "It serves what model-deployments deploys (promote, roll back or pin with glimpse models"
          + " ... --store <data-dir>/models/store); on a fresh stack it deploys the demo's quick"
          + " model (trained on first use, about a minute). Pipeline settings: --set, or GLIMPSE_*"
          + " variables as for glimpse pipeline."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  glimpse up                                   # Kafka :9092, registry :8081, pipeline :8080",
      "  glimpse up --model-name fashion              # serve what is deployed for 'fashion'",
      "  glimpse up --port 0 --registry-port 0 --http-port 0 --data-dir /tmp/glimpse",
      "  glimpse up --set glimpse.batch.max.size=16 --set glimpse.batch.max.linger.ms=20",
      "Then, in another terminal:",
      "  glimpse publish --dataset fashion-mnist --limit 100 && glimpse tail --from-beginning"
    })
public final class UpCommand implements Callable<Integer> {
  /** How long a deployed version may take to load before the addresses are printed anyway. */
  private static final Duration LOAD_WAIT = Duration.ofSeconds(60);

  @Spec private CommandSpec spec;
  @Mixin private StackOptions stackOptions;

  @Option(
      names = "--http-port",
      defaultValue = "8080",
      description =
          "Port of the pipeline's live page (/), /health and /metrics; 0 = any free port (default:"
              + " ${DEFAULT-VALUE}).")
  private int httpPort;

  @Option(
      names = "--model-name",
      paramLabel = "<name>",
      description =
          "Serve what model-deployments deploys for this name (default: the one model deployed,"
              + " else the demo's).")
  private String modelName;

  @Option(
      names = "--fashion-mnist",
      paramLabel = "<dir>",
      description =
          "Fashion-MNIST's directory, for the demo model of a fresh stack; without it the demo"
              + " model classifies generated shapes (default: ${DEFAULT-VALUE}).")
  private Path fashionMnist = FashionMnist.DEFAULT_DIRECTORY;

  @Option(
      names = {"-s", "--set"},
      paramLabel = "<key=value>",
      description = "A pipeline setting, e.g. --set glimpse.batch.max.size=16 (repeatable).")
  private Map<String, String> overrides = new LinkedHashMap<>();

  @Option(
      names = "--store",
      paramLabel = "<uri>",
      description =
          "Model store deployments point into: file:///path, a path or s3://bucket/prefix (S3"
              + " settings from GLIMPSE_S3_ENDPOINT, GLIMPSE_S3_REGION, GLIMPSE_S3_PATH_STYLE,"
              + " credentials from the AWS SDK's chain). Default: the demo's,"
              + " <data-dir>/models/store.")
  private String storeOption;

  @Override
  public Integer call()
      throws InterruptedException,
          ModelArtifactException,
          PublishException,
          DatasetException,
          TrainingException,
          DemoLifecycleException {
    PrintWriter out = spec.commandLine().getOut();
    long start = System.nanoTime();
    try (RunningStack stack = RunningStack.start(stackOptions, out)) {
      out.println("Stack is up: " + stack.describe());
      out.flush();
      String model = modelToServe(stack, out);
      try (GlimpsePipeline pipeline = GlimpsePipeline.start(pipelineConfig(stack, model))) {
        awaitServing(pipeline, stack);
        printAddresses(out, stack, pipeline, model, (System.nanoTime() - start) / 1e9);
        serveUntilStopped(pipeline, stack, out);
      }
      out.println("Pipeline stopped.");
      out.flush();
    }
    return 0;
  }

  /** The model name to follow: chosen, or the one deployed, or the demo's, deployed now. */
  private String modelToServe(RunningStack stack, PrintWriter out)
      throws PublishException, DatasetException, TrainingException, DemoLifecycleException {
    if (modelName != null) {
      return modelName;
    }
    Map<String, ModelDeployment> deployed =
        new ModelCatalog(RunningStack.kafka(stack.clientConfig())).deployments();
    DemoData data = DemoData.find(fashionMnist);
    String demo = DemoModel.modelName(data);
    if (deployed.containsKey(demo)) {
      return demo;
    }
    if (deployed.size() == 1) {
      return deployed.keySet().iterator().next();
    }
    if (deployed.size() > 1) {
      throw new IllegalStateException(
          "several models are deployed ("
              + String.join(", ", deployed.keySet())
              + "); choose one with --model-name");
    }
    if (storeOption != null) {
      throw new IllegalStateException(
          "nothing is deployed, and the demo's model lives in the demo's store, not in "
              + storeOption
              + "; train, publish and promote a version into it first (glimpse train --store "
              + storeOption
              + " --publish --promote), or pass --model-name");
    }
    out.println("Nothing is deployed yet: deploying the demo's quick model (" + data.name() + ").");
    QuickModel.ensure(stackOptions.dataDir(), data, out);
    try (DemoLifecycle lifecycle =
        new DemoLifecycle(
            stackOptions.dataDir(),
            data,
            RunningStack.kafka(stack.clientConfig()),
            line -> {
              out.println(line);
              out.flush();
            })) {
      lifecycle.deployQuick();
    }
    return demo;
  }

  private PipelineConfig pipelineConfig(RunningStack stack, String model) {
    Map<String, Object> settings = new HashMap<>(overrides);
    settings.putAll(stack.clientConfig());
    settings.putIfAbsent(
        StreamsConfig.STATE_DIR_CONFIG, stackOptions.dataDir().resolve("streams").toString());
    settings.put(PipelineConfig.MODEL_NAME, model);
    settings.put(PipelineConfig.MODEL_STORE, store());
    settings.put(PipelineConfig.HTTP_PORT, httpPort);
    return PipelineConfig.load(null, System.getenv(), settings);
  }

  /**
   * The store deployments point into: {@code --store}, else the demo's, where {@code models
   * register} can add more.
   */
  private String store() {
    return storeOption != null
        ? storeOption
        : stackOptions
            .dataDir()
            .resolve("models")
            .resolve("store")
            .toAbsolutePath()
            .toUri()
            .toString();
  }

  private static void awaitServing(GlimpsePipeline pipeline, RunningStack stack)
      throws InterruptedException {
    long deadline = System.nanoTime() + LOAD_WAIT.toNanos();
    while (!pipeline.servingStatus().serving()
        && System.nanoTime() < deadline
        && !stack.stopping()) {
      stack.await(Duration.ofMillis(100));
    }
  }

  private void printAddresses(
      PrintWriter out, RunningStack stack, GlimpsePipeline pipeline, String model, double seconds) {
    Map<String, Object> clients = stack.clientConfig();
    String http = "http://127.0.0.1:" + pipeline.httpPort();
    out.printf(Locale.ROOT, "Glimpse is up (%.1f s):%n", seconds);
    out.println("  Kafka bootstrap servers  " + clients.get("bootstrap.servers"));
    out.println("  schema registry          " + clients.get("schema.registry.url"));
    out.println("  live page                " + http + "/");
    out.println("  pipeline health          " + http + "/health");
    out.println("  pipeline metrics         " + http + "/metrics");
    out.println("  model                    " + serving(pipeline.servingStatus(), model));
    trainedOn(stack, pipeline.servingStatus())
        .ifPresent(data -> out.println("  trained on               " + data));
    out.println("  model store              " + store());
    out.println("  topics                   images -> predictions, dead letters on images.dlq");
    out.println(
        "Publish with 'glimpse publish <images>', watch with 'glimpse tail'; Ctrl-C stops.");
    out.flush();
  }

  /**
   * What the served version was trained on and the labels it answers with, so that a user sees
   * which images it is for before publishing any (the demo's shapes model answers "square" for a
   * Pullover). Empty when nothing is served or the catalog cannot be read.
   */
  private static Optional<String> trainedOn(RunningStack stack, ServingStatus status) {
    if (!status.serving()) {
      return Optional.empty();
    }
    try {
      return new ModelCatalog(RunningStack.kafka(stack.clientConfig()))
          .version(status.modelName(), status.servedVersion())
          .map(
              version ->
                  (version.getTrainingData() == null ? "(not recorded)" : version.getTrainingData())
                      + "; labels "
                      + String.join(", ", version.getLabels()));
    } catch (PublishException e) {
      return Optional.empty();
    }
  }

  private static String serving(ServingStatus status, String model) {
    if (status.serving()) {
      return status.modelName() + " " + status.servedVersion();
    }
    return status.waitingFor() != null
        ? model + ", not served yet: " + status.waitingFor()
        : model + ", not served yet";
  }

  /** Until a signal or an interrupt: says when another version is swapped in. */
  private static void serveUntilStopped(
      GlimpsePipeline pipeline, RunningStack stack, PrintWriter out) {
    String served = pipeline.servingStatus().servedVersion();
    try {
      while (!stack.stopping()) {
        stack.await(Duration.ofSeconds(1));
        ServingStatus status = pipeline.servingStatus();
        if (!Objects.equals(served, status.servedVersion()) && status.serving()) {
          served = status.servedVersion();
          out.println("Now serving " + status.modelName() + " " + served + ".");
          out.flush();
        }
        if (pipeline.state() == KafkaStreams.State.ERROR) {
          throw new IllegalStateException("Kafka Streams failed; see the log above");
        }
      }
    } catch (InterruptedException e) {
      // An interrupt asks to stop, as a signal does (an in-process caller has no signal to send).
      // The flag stays cleared so that Streams and the stack can still stop cleanly.
      out.println("Stopping...");
      out.flush();
    }
  }
}
