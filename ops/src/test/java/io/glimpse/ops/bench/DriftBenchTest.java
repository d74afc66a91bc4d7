package io.glimpse.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.mobilenet.UntrainedModels;
import io.glimpse.ops.RequiredPackage;
import io.glimpse.ops.cli.GlimpseCli;
import io.glimpse.trainer.data.FashionMnist;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench drift} on synthetic predictions (a model right 80 % of the time over ten balanced
 * classes), whose PSI noise theory predicts, and once through the CLI on Fashion-MNIST.
 */
class DriftBenchTest {
  private static final List<String> CLASSES =
      IntStream.range(0, 10).mapToObj(i -> "class-" + i).toList();

  @TempDir Path tmp;

  @Test
  void noiseFollowsTheWindowSizeAndThreeClassesAlwaysAlert() {
    DriftSettings settings =
        new DriftSettings(
            List.of(200, 1000),
            400,
            20,
            List.of(0.02, 0.1, 0.2),
            List.of(List.of(0, 1, 2)),
            1000,
            0.01,
            7);

    DriftReport report = DriftBench.measure(synthetic(4000), settings);

    DriftReport.Window small = report.windows().get(0);
    DriftReport.Window large = report.windows().get(1);
    // Two independent samples of n over k bins: PSI ≈ chi-square(k - 1) × 2 / n, median 0.017 at
    // n = 1,000 for ten classes. Overlapping or repeated windows would come out far lower.
    assertThat(large.classes().p50()).isBetween(0.012, 0.024);
    assertThat(small.either().p99()).isGreaterThan(3 * large.either().p99());
    assertThat(large.falseAlarms().get(0).rate()).isBetween(0.2, 0.8);
    assertThat(large.falseAlarms().subList(1, 3))
        .extracting(DriftReport.Rate::rate)
        .containsOnly(0.0);
    DriftReport.Detection narrow = report.detections().get(1);
    assertThat(narrow.images()).isEqualTo(1000);
    assertThat(narrow.classesPsi().min()).isGreaterThan(1);
    assertThat(narrow.alerts()).extracting(DriftReport.Rate::rate).containsOnly(1.0);
    assertThat(report.recommendation().threshold()).isEqualTo(0.1);
    assertThat(report.recommendation().falseAlarmRate()).isZero();
    assertThat(report.recommendation().psiAtMaxFalseAlarm())
        .isEqualTo(large.either().p99())
        .isBetween(0.02, 0.1);
    assertThat(DriftBench.measure(synthetic(4000), settings).toJson())
        .as("the same seed draws the same windows")
        .isEqualTo(report.toJson());
  }

  @Test
  void windowsNeedTwiceTheirSizeInImages() {
    DriftSettings settings =
        new DriftSettings(
            List.of(600), 10, 1, List.of(0.1), List.of(List.of(0, 1, 2)), 600, 0.01, 1);

    assertThatThrownBy(() -> DriftBench.measure(synthetic(1000), settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs 1200 distinct images, there are 1000");
  }

  @Test
  void commandPrintsTheReportForAnArtifact() throws Exception {
    RequiredPackage.assumeInstalled(
        FashionMnist.isPresent(FashionMnist.DEFAULT_DIRECTORY), "dataset-fashion-mnist");
    Path model = tmp.resolve("model");
    UntrainedModels.write(model, "drift-test", "1", 0.25f, new InputShape(1, 32, 32), CLASSES, 3);

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = GlimpseCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit =
        cli.execute(
            "bench",
            "drift",
            "--model",
            model.toString(),
            "--limit",
            "1000",
            "--windows",
            "100,200",
            "--recommend-for",
            "200",
            "--pairs",
            "20",
            "--detection-pairs",
            "5",
            "--json",
            "--json-file",
            tmp.resolve("drift.json").toString());

    assertThat(exit).as("stderr: %s", err).isZero();
    JsonNode report = new ObjectMapper().readTree(out.toString());
    assertThat(report.path("model").asText()).isEqualTo("drift-test 1");
    assertThat(report.path("images").asInt()).isEqualTo(1000);
    assertThat(report.path("windows")).hasSize(2);
    assertThat(report.path("detections")).hasSize(6);
    assertThat(report.path("windows").get(1).path("false_alarm_rate")).hasSize(5);
    assertThat(new ObjectMapper().readTree(tmp.resolve("drift.json").toFile())).isEqualTo(report);
  }

  @Test
  void missingFashionMnistIsAnErrorThatSaysWhatToInstall() {
    StringWriter err = new StringWriter();
    CommandLine cli = GlimpseCli.newCommandLine();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));

    int exit =
        cli.execute(
            "bench", "drift", "--fashion-mnist", tmp.resolve("none").toString(), "--model", "x");

    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("sudo apt-get install dataset-fashion-mnist");
  }

  /** Balanced true classes; the top-1 is right 80 % of the time, more confident when right. */
  private static DriftPredictions synthetic(int images) {
    Random random = new Random(11);
    int[] truth = new int[images];
    String[] predicted = new String[images];
    float[] probability = new float[images];
    for (int i = 0; i < images; i++) {
      truth[i] = i % CLASSES.size();
      boolean right = random.nextDouble() < 0.8;
      predicted[i] = CLASSES.get(right ? truth[i] : random.nextInt(CLASSES.size()));
      probability[i] = (float) (right ? 0.6 + 0.4 * random.nextDouble() : random.nextDouble());
    }
    return new DriftPredictions("synthetic", CLASSES, truth, predicted, probability);
  }
}
