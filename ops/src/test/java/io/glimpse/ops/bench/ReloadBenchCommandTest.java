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

/**
 * {@code glimpse bench reload --json} at a small size: the backlog sized from the probe outlasts
 * both steady windows, the promote happens, nothing goes wrong.
 */
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
            // The backlog is sized from the probe's rate; the test checks both windows came out.
            "--probe-images",
            "3000",
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
    assertThat(report.path("both_windows_measured").asBoolean()).as("%s", report).isTrue();
    assertThat(report.path("steady_after_images_per_s").asDouble()).isPositive();
    assertThat(report.path("dip_fraction_vs_before").isNumber()).isTrue();
    assertThat(report.path("dip_fraction_vs_after").isNumber()).isTrue();
    int poison = report.path("poison_records").asInt();
    assertThat(poison).isEqualTo((int) Math.floor(3000 * 0.05) + backlogPoison(report));
    assertThat(report.path("dead_letters").asInt()).isEqualTo(poison);
    assertThat(report.path("predictions").asInt())
        .isEqualTo(report.path("images").asInt() - poison);
  }

  private static int backlogPoison(JsonNode report) {
    return (int) Math.floor(report.path("backlog_images").asInt() * 0.05);
  }
}
