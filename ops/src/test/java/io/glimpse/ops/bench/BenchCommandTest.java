package io.glimpse.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.ops.RequiredPackage;
import io.glimpse.ops.cli.GlimpseCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code glimpse bench pipeline --json} at a tiny size: every phase runs, every field is there;
 * photo content; the Python peer where Python can run it.
 */
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

  /** A short run: no warm-up, no bad input, one latency probe of a second. */
  private static final List<String> SHORT =
      List.of(
          "--input-size",
          "32",
          "--images",
          "64",
          "--warm-up-runs",
          "0",
          "--bad-fraction",
          "0",
          "--low-rate",
          "0",
          "--load-fraction",
          "0.5",
          "--load-seconds",
          "1",
          "--json");

  @Test
  void printsOneJsonObjectWithEveryFieldPositive() {
    String json =
        run(
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
            "--no-peer",
            "--json");

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
    assertThat(json)
        .contains("\"peer\":\"skipped (--no-peer)\"", "\"content\":\"synthetic\"")
        .contains("\"image_size\":\"32x32\"")
        .doesNotContain("peer_images_per_s");
  }

  @Test
  void photoContentIsCameraShapedJpegs() {
    List<String> args = new ArrayList<>(SHORT);
    args.addAll(List.of("--content", "photo", "--image-size", "96x72", "--no-peer"));

    String json = run(args.toArray(String[]::new));

    assertThat(json)
        .contains("\"content\":\"photo\"", "\"format\":\"jpeg\"", "\"jpeg_quality\":85")
        .contains("\"image_size\":\"96x72\"");
    assertThat(number(json, "mean_event_bytes"))
        .as("a 96x72 photo at quality 85")
        .isGreaterThan(1500);
    assertThat(number(json, "pipeline_images_per_s")).isPositive();
    assertThat(number(json, "raw_images_per_s")).isPositive();
  }

  @Test
  void pythonPeerClassifiesTheSameImagesOnTheSameBroker() {
    Optional<String> unavailable = PythonPeer.whyUnavailable(PythonPeer.PYTHON);
    RequiredPackage.assumeInstalled(
        unavailable.isEmpty(), "python3-confluent-kafka python3-avro python3-pil python3-torch");
    List<String> args = new ArrayList<>(SHORT);
    args.addAll(List.of("--content", "photo", "--image-size", "96x72", "--peer"));

    String json = run(args.toArray(String[]::new));

    assertThat(json).contains("\"peer\":\"ran\"");
    assertThat(number(json, "peer_images_per_s")).isPositive();
    assertThat(number(json, "pipeline_over_peer")).isPositive();
    String peer = json.substring(json.indexOf("\"peer_details\""));
    assertThat(number(peer, "images")).isEqualTo(64);
    assertThat(number(peer, "predictions_read_back")).as("one Avro Prediction each").isEqualTo(64);
    assertThat(number(peer, "threads")).as("one torch thread for a 32x32 input").isEqualTo(1);
  }

  @Test
  void refusesPhotosInAnotherFormatAndMalformedSizes() {
    assertThat(usageError("--content", "photo", "--format", "png"))
        .contains("--content photo takes --format jpeg");
    assertThat(usageError("--image-size", "64x")).contains("--image-size must be N or WxH");
    assertThat(usageError("--content", "video")).contains("--content must be one of");
  }

  /** Runs {@code bench pipeline} with {@code args}; its stdout, stripped, once it exits 0. */
  private static String run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = cli(out, err).execute(concat("bench", "pipeline", args));
    assertThat(exit).as("exit code; stderr: %s", err).isZero();
    return out.toString().strip();
  }

  /** Runs {@code bench pipeline} with {@code args}, expecting a usage error; its stderr. */
  private static String usageError(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = cli(out, err).execute(concat("bench", "pipeline", args));
    assertThat(exit).as("exit code; stdout: %s", out).isEqualTo(2);
    return err.toString();
  }

  private static CommandLine cli(StringWriter out, StringWriter err) {
    CommandLine cli = GlimpseCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli;
  }

  private static String[] concat(String first, String second, String... rest) {
    List<String> all = new ArrayList<>(List.of(first, second));
    all.addAll(List.of(rest));
    return all.toArray(String[]::new);
  }

  private static double number(String json, String field) {
    Matcher m = Pattern.compile("\"" + field + "\":(-?[0-9.Ee+-]+)[,}]").matcher(json);
    assertThat(m.find()).as("field %s in %s", field, json).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
