package io.glimpse.ops.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.mobilenet.UntrainedModels;
import io.glimpse.ops.RequiredPackage;
import io.glimpse.ops.cli.GlimpseCli;
import io.glimpse.pipeline.GlimpsePipeline;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.schemas.avro.ClassScore;
import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.avro.Prediction;
import io.glimpse.trainer.data.FashionMnist;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * A model trained in PyTorch goes through Glimpse like a native version: real PyTorch trains a
 * MobileNetV1 on Fashion-MNIST and exports it with {@code torch.jit.trace}; {@code glimpse models
 * register} and {@code promote} put it in front of a running pipeline while images flow; and the
 * pipeline's probabilities on the test images are PyTorch's own, as is its accuracy.
 *
 * <p>Skipped without {@code /usr/bin/python3} and torch, or without Debian's Fashion-MNIST, unless
 * {@code GLIMPSE_REQUIRE_DEBIAN_PACKAGES=true} (set by .ci/run), where it fails instead.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class TorchScriptLifecycleTest {
  private static final Logger LOG = LoggerFactory.getLogger(TorchScriptLifecycleTest.class);
  private static final String MODEL = "fashion-mobilenet";
  private static final Duration DEADLINE = Duration.ofMinutes(2);
  private static final double TOLERANCE = 1e-4;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  @Test
  void aPyTorchModelIsRegisteredPromotedAndServedWithPyTorchsProbabilities() throws Exception {
    requirePyTorch();
    long started = System.nanoTime();
    PyTorchTraining pytorch = PyTorchTraining.run(tmp.resolve("pytorch"), Duration.ofMinutes(3));
    LOG.info("PyTorch {} trained and exported in {} s", pytorch.torchVersion(), since(started));

    try (PipelineFixture fixture = PipelineFixture.start(tmp, "torchscript");
        ImageTraffic traffic = fixture.traffic();
        PredictionLog predictions = fixture.predictions(IsolationLevel.READ_COMMITTED)) {
      Path store = tmp.resolve("store");
      Path v1 = tmp.resolve("v1");
      InputShape shape = new InputShape(1, pytorch.side(), pytorch.side());
      UntrainedModels.write(v1, MODEL, "1", 0.25f, shape, FashionMnist.CLASSES, 7);
      glimpse(fixture, store, "models", "register", v1.toString());
      glimpse(fixture, store, "models", "promote", MODEL, "1");

      try (GlimpsePipeline pipeline = GlimpsePipeline.start(following(fixture, store))) {
        PipelineHttp.awaitServing(pipeline.httpPort(), "1", DEADLINE);
        traffic.startPaced("swap", 3_000, 10, Duration.ofMillis(50));
        predictions.pollUntil(() -> predictions.total() >= 100, DEADLINE);
        long promoted = System.nanoTime();
        assertThat(registerTorchScript(fixture, store, pytorch, "2"))
            .contains("registered " + MODEL + " v2 (torchscript, 1x32x32");
        glimpse(fixture, store, "models", "promote", MODEL, "2", "--reason", "trained in PyTorch");
        PipelineHttp.awaitServing(pipeline.httpPort(), "2", DEADLINE);
        LOG.info("Register and promote to serving: {} ms", (System.nanoTime() - promoted) / 1e6);
        traffic.awaitPaced(DEADLINE);

        List<String> testIds = traffic.publish(testImages(pytorch));
        assertEveryImageOncePredictedNoneDeadLettered(pipeline, traffic, predictions);
        assertThat(versionsOf(predictions, "swap-"))
            .as("the traffic flowed across the swap")
            .containsExactlyInAnyOrder("1", "2");
        assertAgreesWithPyTorch(pytorch, testIds, predictions);
      }
    }
    LOG.info("Whole lifecycle in {} s", since(started));
  }

  private static void requirePyTorch() throws Exception {
    RequiredPackage.assumeInstalled(
        PyTorchTraining.available(), "python3-torch python3-numpy dataset-fashion-mnist");
  }

  /** PyTorch's test images as raw 1×side×side pixels, so the pipeline does not resize them. */
  private static List<ImageEvent> testImages(PyTorchTraining pytorch) {
    List<ImageEvent> events = new ArrayList<>();
    for (int i = 0; i < pytorch.size(); i++) {
      events.add(
          ImageTraffic.event("test-" + i, "application/x-raw-pixels", pytorch.image(i))
              .setWidth(pytorch.side())
              .setHeight(pytorch.side())
              .setChannels(1)
              .setLabel(FashionMnist.CLASSES.get(pytorch.label(i)))
              .build());
    }
    return events;
  }

  /** {@code glimpse models register <file.pt>} with what the file does not say about itself. */
  private String registerTorchScript(
      PipelineFixture fixture, Path store, PyTorchTraining pytorch, String version)
      throws Exception {
    Path labels = Files.write(tmp.resolve("labels.txt"), FashionMnist.CLASSES);
    return glimpse(
        fixture,
        store,
        "models",
        "register",
        pytorch.torchScript().toString(),
        "--name",
        MODEL,
        "--version",
        version,
        "--labels",
        labels.toString(),
        "--input-size",
        String.valueOf(pytorch.side()),
        "--channels",
        "1",
        "--mean",
        pytorch.mean(),
        "--std",
        pytorch.std(),
        "--width",
        pytorch.widthMultiplier());
  }

  private static void assertEveryImageOncePredictedNoneDeadLettered(
      GlimpsePipeline pipeline, ImageTraffic traffic, PredictionLog predictions) throws Exception {
    Set<String> ids = traffic.acknowledged();
    assertThat(predictions.pollUntil(() -> predictions.coversAll(ids), DEADLINE))
        .as("missing %s", predictions.missing(ids))
        .isTrue();
    predictions.pollToEnd(DEADLINE);
    assertThat(predictions.duplicates()).as("exactly one prediction per image").isEmpty();
    assertThat(predictions.keys()).containsExactlyInAnyOrderElementsOf(ids);
    String metrics = PipelineHttp.get(pipeline.httpPort(), "/metrics").body();
    assertThat(PipelineHttp.sumOf(metrics, "glimpse_dlq_records_total"))
        .as("dead letters")
        .isZero();
  }

  private static void assertAgreesWithPyTorch(
      PyTorchTraining pytorch, List<String> testIds, PredictionLog predictions) {
    Map<String, Prediction> byId = new HashMap<>();
    predictions.records().forEach(r -> byId.put(r.key(), r.value()));
    double maxDiff = 0;
    int correct = 0;
    for (int i = 0; i < pytorch.size(); i++) {
      Prediction prediction = byId.get(testIds.get(i));
      assertThat(prediction.getModelVersion()).as("version of %s", testIds.get(i)).isEqualTo("2");
      assertThat(prediction.getTopK()).hasSize(FashionMnist.CLASSES.size());
      double[] expected = pytorch.probabilities(i);
      for (ClassScore score : prediction.getTopK()) {
        double diff = Math.abs(score.getProbability() - expected[score.getClassIndex()]);
        assertThat(diff)
            .as("image %d: pipeline %s, PyTorch %s", i, score, Arrays.toString(expected))
            .isLessThanOrEqualTo(TOLERANCE);
        maxDiff = Math.max(maxDiff, diff);
      }
      if (prediction.getTopK().get(0).getClassIndex() == pytorch.label(i)) {
        correct++;
      }
    }
    LOG.info(
        "{} test images: max |pipeline - PyTorch| = {}; correct: pipeline {}, PyTorch {}",
        pytorch.size(),
        maxDiff,
        correct,
        pytorch.correct());
    assertThat(correct).as("images the pipeline classified correctly").isEqualTo(pytorch.correct());
  }

  /**
   * Runs {@code glimpse <args>} in this JVM against the fixture's stack and the store; returns what
   * it printed, failing the test with its output when it exits non-zero.
   */
  private static String glimpse(PipelineFixture fixture, Path store, String... args) {
    List<String> line = new ArrayList<>(List.of(args));
    line.addAll(
        List.of(
            "--bootstrap-servers",
            fixture.stack().bootstrapServers(),
            "--schema-registry-url",
            fixture.stack().schemaRegistryUrl(),
            "--store",
            store.toUri().toString()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = GlimpseCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(line.toArray(String[]::new));
    assertThat(code).as("glimpse %s\n%s%s", String.join(" ", args), out, err).isZero();
    LOG.info("glimpse {}\n{}", String.join(" ", args), out);
    return out.toString();
  }

  private static PipelineConfig following(PipelineFixture fixture, Path store) {
    Map<String, String> settings = fixture.pipelineSettings();
    settings.remove(PipelineConfig.MODEL_PATH);
    settings.put(PipelineConfig.MODEL_NAME, MODEL);
    settings.put(PipelineConfig.MODEL_STORE, store.toUri().toString());
    settings.put(PipelineConfig.BATCH_MAX_SIZE, "8");
    settings.put(PipelineConfig.TOP_K, String.valueOf(FashionMnist.CLASSES.size()));
    return PipelineConfig.of(settings);
  }

  private static Set<String> versionsOf(PredictionLog predictions, String idPrefix) {
    return predictions.records().stream()
        .filter(r -> r.key().startsWith(idPrefix))
        .map(ConsumerRecord::value)
        .map(Prediction::getModelVersion)
        .collect(Collectors.toSet());
  }

  private static long since(long nanos) {
    return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - nanos);
  }
}
