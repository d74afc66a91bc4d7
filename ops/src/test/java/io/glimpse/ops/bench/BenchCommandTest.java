package io.glimpse.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.ops.cli.GlimpseCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code glimpse bench pipeline --json} at a tiny size: every phase runs, every field is there. */
class BenchCommandTest {
  private static final List<String> POSITIVE =
      List.of(
          "raw_images_per_s",
          "pipeline_images_per_s",
          "unbatched_images_per_s",
          "p50_ms",
          "p99_ms",
          "pipeline_over_raw",
          "batched_over_unbatched",
          "batch_size",
          "images",
          "latency_offered_images_per_s",
          "latency_images",
          "pipeline_bad_input_images_per_s",
          "bad_input_over_clean");

  @Test
  void printsOneJsonObjectWithEveryFieldPositive() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = GlimpseCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));

    int exit =
        cli.execute(
            "bench",
            "pipeline",
            "--width",
            "0.25",
            "--input-size",
            "32",
            "--channels",
            "1",
            "--images",
            "64",
            "--load-seconds",
            "2",
            "--bad-fraction",
            "0.1",
            "--json");

    assertThat(exit).as("exit code; stderr: %s", err).isZero();
    String json = out.toString().strip();
    assertThat(json).startsWith("{").endsWith("}").doesNotContain("\n");
    for (String field : POSITIVE) {
      assertThat(number(json, field)).as(field).isPositive();
    }
    assertThat(json)
        .contains(
            "\"model\":\"mobilenet_v1 alpha=0.25 1x32x32\"",
            "\"guarantee\":\"exactly_once_v2\"",
            "\"malloc\":\"",
            "untrained",
            "\"commit.interval.ms\":\"");
    assertThat(json).contains("\"idle_flush\":true", "\"latency_loads\":[");
    String loads = json.substring(json.indexOf("\"latency_loads\""));
    assertThat(Pattern.compile("\"p999_ms\":").matcher(loads).results().count())
        .as("the low rate and the two default fractions of saturation")
        .isEqualTo(3);
    assertThat(number(loads, "offered_images_per_s")).as("the low rate first").isEqualTo(20);
    assertThat(number(json, "bad_input_poison_records")).isEqualTo(6);
    assertThat(number(json, "bad_input_dead_letters")).as("every poison record").isEqualTo(6);
    assertThat(number(json, "bad_input_predictions")).as("every good image").isEqualTo(58);
    String badInputProfile = json.substring(json.indexOf("\"profile_bad_input\""));
    assertThat(number(badInputProfile, "batch_fallbacks")).as("never one by one").isZero();
  }

  private static double number(String json, String field) {
    Matcher m = Pattern.compile("\"" + field + "\":(-?[0-9.Ee+-]+)[,}]").matcher(json);
    assertThat(m.find()).as("field %s in %s", field, json).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
