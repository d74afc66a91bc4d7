package io.glimpse.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.ops.RequiredPackage;
import io.glimpse.ops.cli.GlimpseCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code glimpse bench train} in its short form: every side's numbers, the breakdown, the ratio.
 */
class TrainBenchCommandTest {

  @Test
  void measuresEveryLayoutAndPytorchOnTheSameNetwork(@TempDir Path dir) throws Exception {
    Path jsonFile = dir.resolve("train.json");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        cli(out, err)
            .execute(
                "bench",
                "train",
                "--input-size",
                "32",
                "--batch-size",
                "8",
                "--steps",
                "4",
                "--warmup",
                "1",
                "--rounds",
                "2",
                "--layouts",
                "2x1,1x2",
                "--json-file",
                jsonFile.toString());

    assertThat(exit).as("exit code; stderr: %s", err).isZero();
    assertThat(out.toString()).contains("bench train:", "Glimpse 2 workers", "Where the time goes");
    JsonNode report = new ObjectMapper().readTree(Files.readString(jsonFile));
    // α 0.5, one input channel, 10 classes; pytorch_train.py's network has as many.
    assertThat(report.get("parameters").asLong()).isEqualTo(823_434);
    JsonNode sides = report.get("sides");
    int[][] layouts = {{2, 1}, {1, 2}};
    for (int i = 0; i < layouts.length; i++) {
      JsonNode side = sides.get(i);
      assertThat(side.get("workers").asInt()).isEqualTo(layouts[i][0]);
      // A worker started after the layout's thread count was set runs on that many threads.
      assertThat(side.get("threads_seen").asInt()).isEqualTo(layouts[i][1]);
      assertThat(side.get("median_ms").asDouble()).isPositive();
      assertThat(side.get("p90_ms").asDouble())
          .isGreaterThanOrEqualTo(side.get("median_ms").asDouble() - 1e-3);
      assertThat(side.get("images_per_s").asDouble())
          .isCloseTo(8000 / side.get("median_ms").asDouble(), within(0.1));
      assertThat(side.get("last_loss").asDouble()).isBetween(0.0, 10.0);
    }
    JsonNode phases = report.get("phases");
    assertThat(phases).hasSize(6);
    double sum = 0;
    for (int i = 0; i < 5; i++) {
      assertThat(phases.get(i).get("glimpse_ms").asDouble()).isPositive();
      sum += phases.get(i).get("glimpse_ms").asDouble();
    }
    // Medians of parts need not add up to the median of the whole, but come close.
    assertThat(phases.get(5).get("glimpse_ms").asDouble()).isCloseTo(sum, offset(sum * 0.5));

    RequiredPackage.assumeInstalled(PythonTorch.available(), "python3-torch");
    assertThat(report.get("torch").asText()).startsWith("1.");
    JsonNode pytorch = sides.get(2);
    assertThat(pytorch.get("name").asText()).isEqualTo("PyTorch eager");
    for (int i = 0; i < 2; i++) {
      assertThat(sides.get(i).get("glimpse_over_pytorch").asDouble())
          .isCloseTo(
              pytorch.get("median_ms").asDouble() / sides.get(i).get("median_ms").asDouble(),
              offset(1e-3));
    }
    assertThat(phases.get(2).get("pytorch_ms").asDouble()).isPositive();
  }

  @Test
  void aLayoutWithMoreWorkersThanImagesIsAUsageError() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        cli(out, err)
            .execute("bench", "train", "--batch-size", "4", "--layouts", "8x1", "--no-pytorch");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("workers must not exceed the batch size, got 8x1");
  }

  private static CommandLine cli(StringWriter out, StringWriter err) {
    CommandLine cli = GlimpseCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli;
  }
}
