package io.glimpse.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.ops.RequiredPackage;
import io.glimpse.ops.cli.GlimpseCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code glimpse bench engine} in its short form: both sides' numbers come out, per batch size. */
class EngineBenchCommandTest {

  @Test
  void printsBothSidesNumbersForEveryBatchSize() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        cli(out, err)
            .execute(
                "bench",
                "engine",
                "--models",
                "0.25:1x32x32",
                "--batches",
                "1,4",
                "--rounds",
                "1",
                "--seconds",
                "0.05",
                "--json");

    assertThat(exit).as("exit code; stderr: %s", err).isZero();
    JsonNode report = new ObjectMapper().readTree(out.toString());
    assertThat(report.get("device").asText()).isEqualTo("cpu()");
    assertThat(report.get("results")).hasSize(2);
    for (JsonNode result : report.get("results")) {
      assertThat(result.get("model").asText()).isEqualTo("mobilenet_v1 alpha=0.25 1x32x32");
      assertThat(result.get("glimpse_served_as").asText()).isEqualTo("folded TorchScript");
      assertThat(result.get("glimpse_images_per_s").asDouble()).isPositive();
      assertThat(result.get("glimpse_unfolded_images_per_s").asDouble()).isPositive();
      assertThat(result.get("glimpse_bf16_served_as").asText())
          .isEqualTo("folded TorchScript bf16");
      assertThat(result.get("glimpse_bf16_images_per_s").asDouble()).isPositive();
      // α 0.25 on RGB with 10 classes has 215,642 (bench/pytorch_engine.py says the same); one
      // input channel saves 2 of the stem's 3·3·3·8 weights per filter: 144 fewer.
      assertThat(result.get("parameters").asLong()).isEqualTo(215_498);
    }
    assertThat(report.get("results").get(1).get("batch").asInt()).isEqualTo(4);

    RequiredPackage.assumeInstalled(PythonTorch.available(), "python3-torch");
    assertThat(report.get("torch").asText()).startsWith("1.");
    for (JsonNode result : report.get("results")) {
      assertThat(result.get("pytorch_eager_images_per_s").asDouble()).isPositive();
      assertThat(result.get("pytorch_torchscript_images_per_s").asDouble()).isPositive();
      assertThat(result.get("glimpse_over_pytorch_eager").asDouble())
          .isCloseTo(
              result.get("glimpse_images_per_s").asDouble()
                  / result.get("pytorch_eager_images_per_s").asDouble(),
              offset(1e-9));
      assertThat(result.get("glimpse_bf16_over_pytorch_eager").asDouble()).isPositive();
    }
  }

  @Test
  void gpuWithoutCudaLibtorchFailsSayingWhatToInstall() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = cli(out, err).execute("bench", "engine", "--device", "gpu", "--no-pytorch");

    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("DJL sees 0 GPU(s)", "CUDA build of libtorch 2.7.1");
    assertThat(out.toString()).isEmpty();
  }

  private static CommandLine cli(StringWriter out, StringWriter err) {
    CommandLine cli = GlimpseCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli;
  }
}
