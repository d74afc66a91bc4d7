package io.glimpse.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code glimpse demo} on a fresh machine: no Fashion-MNIST, no model. It trains the quick model on
 * generated shapes (about half a minute on two cores), registers and deploys it, trains an improved
 * version in the background (a few batches here) and promotes it midway, so the pipeline swaps it
 * in by hot reload, and prints the run's summary.
 */
class DemoCommandTest {
  /**
   * Chance is 10 %; the quick model scores about 77 % on the generated test images (measured), so
   * this fails only when training or serving is broken.
   */
  private static final double MIN_ACCURACY = 40;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void withoutFashionMnistTheDemoTrainsOnGeneratedShapesAndSummarisesTheRun(@TempDir Path tmp) {
    Path noFashionMnist = tmp.resolve("no-fashion-mnist");
    Path dataDir = tmp.resolve("data");

    int code =
        run(
            "demo",
            "--fashion-mnist",
            noFashionMnist.toString(),
            "--duration",
            "25",
            "--improve-batches",
            "20",
            "--rate",
            "50",
            "--port",
            "0",
            "--registry-port",
            "0",
            "--http-port",
            "0",
            "--data-dir",
            dataDir.toString());

    String printed = out.toString();
    assertThat(code).as(err + printed).isZero();
    assertThat(printed)
        .containsOnlyOnce("sudo apt-get install dataset-fashion-mnist")
        .contains("Glimpse demo on synthetic shapes", "Trained in ", " images/s | e2e p50")
        .containsOnlyOnce("Demo summary (")
        .contains("model served  demo-synthetic improved-2 (")
        .contains("demo-synthetic quick-1 (")
        .contains("Promoted demo-synthetic quick-1", "Promoted demo-synthetic improved-2")
        .containsOnlyOnce("Stack stopped.");
    assertThat(number(printed, "(\\d+) broken on purpose"))
        .as("dead letters: the broken records and nothing the swap caused")
        .isEqualTo(number(printed, "dead letters  (\\d+)"));
    assertThat(number(printed, "predictions   (\\d+),")).isPositive();
    assertThat(number(printed, "accuracy ([\\d.]+)% of \\d+ labelled")).isGreaterThan(MIN_ACCURACY);
    assertThat(dataDir.resolve("models/demo-quick-synthetic/artifact")).isDirectory();
    assertThat(Files.exists(dataDir.resolve("models/demo-quick-fashion-mnist"))).isFalse();
  }

  private int run(String... args) {
    var cli = GlimpseCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private static double number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("%s in:%n%s", regex, text).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
