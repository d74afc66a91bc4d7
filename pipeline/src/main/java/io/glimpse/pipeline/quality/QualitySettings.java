package io.glimpse.pipeline.quality;

import java.time.Duration;
import java.util.Objects;

/**
 * How labels meet predictions and how drift is judged ({@code glimpse.quality.*} and {@code
 * glimpse.drift.*}).
 *
 * <ul>
 *   <li>{@code joinWindow}: a label joins a prediction when their timestamps are at most this far
 *       apart, either way round (labels may come before their prediction).
 *   <li>{@code joinGrace}: how far stream time may run past a window before it closes, for records
 *       that arrive out of order.
 *   <li>{@code lateRetention}: how much longer a prediction is remembered after its window closed,
 *       so that a label for it is counted late rather than unmatched.
 *   <li>{@code tallyWindow}: accuracy is tallied per window of prediction time this long.
 *   <li>{@code emitInterval}: how often changed tallies are written to {@code model-quality}.
 *   <li>{@code driftWindowImages}: predictions per drift window (and in the reference window).
 *   <li>{@code driftThreshold}: the population stability index above which a window alerts.
 * </ul>
 */
public record QualitySettings(
    boolean enabled,
    Topics topics,
    Duration joinWindow,
    Duration joinGrace,
    Duration lateRetention,
    Duration tallyWindow,
    Duration emitInterval,
    int driftWindowImages,
    double driftThreshold) {

  /** The topics the monitor reads and writes. */
  public record Topics(
      String predictions,
      String shadowPredictions,
      String labels,
      String labelsDeadLetters,
      String quality,
      String alerts,
      String versions) {
    /** Validates that every name is set. */
    public Topics {
      for (String name :
          new String[] {
            predictions, shadowPredictions, labels, labelsDeadLetters, quality, alerts, versions
          }) {
        if (name == null || name.isBlank()) {
          throw new IllegalArgumentException("Every quality topic needs a name");
        }
      }
    }
  }

  /** Validates the durations and sizes. */
  public QualitySettings {
    Objects.requireNonNull(topics, "topics");
    positive("glimpse.quality.join.window.ms", joinWindow);
    notNegative("glimpse.quality.join.grace.ms", joinGrace);
    notNegative("glimpse.quality.late.retention.ms", lateRetention);
    positive("glimpse.quality.window.ms", tallyWindow);
    positive("glimpse.quality.emit.interval.ms", emitInterval);
    if (driftWindowImages < 10) {
      throw new IllegalArgumentException(
          "glimpse.drift.window.images must be at least 10 (PSI over fewer images is noise): "
              + driftWindowImages);
    }
    if (!(driftThreshold > 0)) {
      throw new IllegalArgumentException(
          "glimpse.drift.psi.threshold must be above 0: " + driftThreshold);
    }
  }

  private static void positive(String key, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(key + " must be above 0: " + value);
    }
  }

  private static void notNegative(String key, Duration value) {
    if (value == null || value.isNegative()) {
      throw new IllegalArgumentException(key + " must not be negative: " + value);
    }
  }

  /** How long after its timestamp a prediction or label is kept waiting for the other side. */
  Duration pendingLifetime() {
    return joinWindow.plus(joinGrace);
  }
}
