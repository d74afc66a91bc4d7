package io.glimpse.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.ops.cli.GlimpseCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code glimpse bench reload --json} at a tiny size: the promote happens, nothing goes wrong. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ReloadBenchCommandTest {

  @Test
  void reportsTheSwapWithNoErrors() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = GlimpseCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));

    int exit =
        cli.execute(
            "bench",
            "reload",
            // Enough images that the promote (after 2 s of steady draining) finds most of them
            // still waiting: two pipelines drained 7,256 of 8,000 in the first 4 s in CI.
            "--images",
            "24000",
            "--bad-fraction",
            "0.05",
            "--steady-seconds",
            "2",
            "--json");

    assertThat(exit).as("exit code; stderr: %s", err).isZero();
    JsonNode report = new ObjectMapper().readTree(out.toString());
    assertThat(report.path("steady_images_per_s").asDouble()).isPositive();
    assertThat(report.path("promote_to_first_prediction_ms").isNumber()).isTrue();
    assertThat(report.path("promote_to_first_prediction_ms").asLong()).isNotNegative();
    assertThat(report.path("dip_fraction").isNumber()).isTrue();
    assertThat(report.path("promote_to_instance_swap_ms")).hasSize(2);
    assertThat(report.path("errors").path("total").asInt()).as("%s", report).isZero();
    assertThat(report.path("dead_letters").asInt()).isEqualTo(1200);
    assertThat(report.path("predictions").asInt()).isEqualTo(22800);
  }
}
