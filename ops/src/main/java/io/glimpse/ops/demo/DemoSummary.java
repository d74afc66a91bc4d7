package io.glimpse.ops.demo;

import io.glimpse.schemas.avro.Prediction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * What a demo run did, from start to stop: predictions and their accuracy, dead letters by reason,
 * end-to-end latency percentiles and the model versions that answered. Its memory does not grow
 * with the run's length (latencies go into a fixed histogram), so the demo can run for days.
 */
public final class DemoSummary {
  private final Path dataDir;
  private final LatencyHistogram latencies = new LatencyHistogram();
  private final SortedMap<String, Long> deadLetters = new TreeMap<>();

  /** Per model version: predictions, labelled predictions, correct ones. */
  private final SortedMap<String, long[]> models = new TreeMap<>();

  private long predictions;
  private long labelled;
  private long correct;

  /**
   * An empty summary.
   *
   * @param dataDir the data directory the run keeps (Kafka under {@code kafka}, models under {@code
   *     models}), named in the summary
   */
  public DemoSummary(Path dataDir) {
    this.dataDir = dataDir;
  }

  /** Counts one prediction: its latency, whether its top label is the image's, its model. */
  public void addPrediction(Prediction p) {
    predictions++;
    latencies.record(p.getTimings().getEndToEndMs());
    long[] version =
        models.computeIfAbsent(p.getModelName() + " " + p.getModelVersion(), v -> new long[3]);
    version[0]++;
    if (p.getLabel() != null) {
      labelled++;
      version[1]++;
      if (p.getLabel().equals(p.getTopK().get(0).getLabel())) {
        correct++;
        version[2]++;
      }
    }
  }

  /** Counts one dead letter under its {@code glimpse.dlq.reason}; null counts as "unknown". */
  public void addDeadLetter(String reason) {
    deadLetters.merge(reason == null ? "unknown" : reason, 1L, Long::sum);
  }

  /** Predictions counted so far. */
  public long predictions() {
    return predictions;
  }

  /** Dead letters counted so far, all reasons together. */
  public long deadLetters() {
    return deadLetters.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Accuracy so far, right-aligned in five characters: "77.1%", or "n/a" before any. */
  public String accuracy() {
    return labelled == 0
        ? "  n/a"
        : String.format(Locale.ROOT, "%5.1f%%", 100.0 * correct / labelled);
  }

  /** Labelled predictions counted so far (the accuracy's denominator). */
  public long labelled() {
    return labelled;
  }

  /**
   * The summary, several lines, each ending in a line break.
   *
   * @param published records the demo published, broken ones included
   * @param broken of those, the ones broken on purpose
   * @param elapsed how long the demo published
   * @return the text to print
   */
  public String render(long published, long broken, Duration elapsed) {
    return String.format(
        Locale.ROOT,
        "Demo summary (%d s):%n"
            + "  published     %d records: %d images, %d broken on purpose%n"
            + "  predictions   %d, accuracy %s of %d labelled%n"
            + "  dead letters  %s%n"
            + "  latency       end to end p50 %s, p99 %s%n"
            + "  model served  %s%n"
            + "  data kept in  %s (Kafka in %s, models in %s)%n",
        elapsed.toSeconds(),
        published,
        published - broken,
        broken,
        predictions,
        accuracy().strip(),
        labelled,
        deadLetterCounts(),
        millis(50),
        millis(99),
        modelCounts(),
        dataDir,
        dataDir.resolve("kafka"),
        dataDir.resolve("models"));
  }

  private String millis(double percent) {
    return latencies.count() == 0 ? "n/a" : latencies.percentile(percent) + " ms";
  }

  /** {@code "24: NULL_VALUE 8, UNDECODABLE_IMAGE 16"}, or {@code "0"}. */
  private String deadLetterCounts() {
    if (deadLetters.isEmpty()) {
      return "0";
    }
    StringJoiner reasons = new StringJoiner(", ", deadLetters() + ": ", "");
    deadLetters.forEach((reason, count) -> reasons.add(reason + " " + count));
    return reasons.toString();
  }

  /**
   * {@code "demo 1 (5 predictions, 60.0%), demo 2 (7 predictions, 85.7%)"}, or {@code "none"}: the
   * accuracy of each version on the labelled images it classified.
   */
  private String modelCounts() {
    if (models.isEmpty()) {
      return "none";
    }
    StringJoiner versions = new StringJoiner(", ");
    models.forEach(
        (version, counts) ->
            versions.add(
                version
                    + " ("
                    + counts[0]
                    + (counts[0] == 1 ? " prediction" : " predictions")
                    + (counts[1] == 0
                        ? ""
                        : String.format(Locale.ROOT, ", %.1f%%", 100.0 * counts[2] / counts[1]))
                    + ")"));
    return versions.toString();
  }
}
