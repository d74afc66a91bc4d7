package io.glimpse.ops.cli;

import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.pipeline.GlimpsePipeline;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.pipeline.serving.ServingStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code glimpse pipeline}: runs one pipeline instance against any Kafka cluster and schema
 * registry until SIGTERM or Ctrl-C, then stops gracefully (committing what it finished). Run more
 * instances with the same {@code application.id} to share the work.
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = {
      "Run the image classification pipeline until Ctrl-C or SIGTERM.",
      "Settings: defaults < --config file < GLIMPSE_* environment < --set (see README)."
    })
public final class PipelineCommand implements Callable<Integer> {
  @Spec private picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "<file>",
      description = "A properties file (glimpse.* settings and any Kafka Streams/client setting).")
  private Path configFile;

  @Option(
      names = {"-s", "--set"},
      paramLabel = "<key=value>",
      description = "Override one setting, e.g. --set glimpse.batch.max.size=16 (repeatable).")
  private Map<String, String> overrides = new LinkedHashMap<>();

  @Override
  public Integer call() throws ModelArtifactException, InterruptedException {
    PipelineConfig config = PipelineConfig.load(configFile, System.getenv(), overrides);
    return runUntilStopped(config, spec.commandLine().getOut());
  }

  /**
   * Starts a pipeline and runs it until SIGTERM or Ctrl-C; {@code glimpse models shadow} runs its
   * shadow pipelines here too.
   *
   * @param config the pipeline's settings
   * @param out where to say that it runs
   * @return the exit code, 0
   * @throws ModelArtifactException when a pinned model cannot be served
   * @throws InterruptedException when interrupted while running
   */
  public static int runUntilStopped(PipelineConfig config, PrintWriter out)
      throws ModelArtifactException, InterruptedException {
    GlimpsePipeline pipeline = GlimpsePipeline.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              pipeline.close(GlimpsePipeline.CLOSE_TIMEOUT);
              stopped.countDown();
            },
            "glimpse-pipeline-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    ServingStatus serving = pipeline.servingStatus();
    out.printf(
        "Pipeline running: %s -> %s, %s; metrics and health on port %d. Ctrl-C to stop.%n",
        config.imagesTopic(),
        config.predictionsTopic(),
        serving.pinnedPath() != null
            ? "pinned to " + serving.pinnedPath()
            : "serving what " + config.deploymentsTopic() + " deploys for " + serving.modelName(),
        pipeline.httpPort());
    out.flush();
    while (!stopped.await(1, TimeUnit.SECONDS)) {
      if (pipeline.state() == KafkaStreams.State.ERROR) {
        Runtime.getRuntime().removeShutdownHook(hook);
        pipeline.close(Duration.ofSeconds(10));
        throw new IllegalStateException("Kafka Streams failed; see the log above");
      }
    }
    return 0;
  }
}
