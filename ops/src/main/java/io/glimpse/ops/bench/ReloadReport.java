package io.glimpse.ops.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The outcome of {@code glimpse bench reload}, computed from every prediction the run produced.
 *
 * <p>The swap window runs from the promote to 2 s after the last partition switched. Steady
 * throughput R is the mean of the rates over {@code steady_seconds} before the promote and after
 * the window (so a slow drift cancels). The throughput lost around the swap is what R would have
 * produced in the window minus what was produced, in units of one second's steady throughput
 * ({@code dip_fraction}); {@code dip_uncertainty} is what the difference between the before and
 * after rates alone would account for, and {@code dip_fraction_vs_before} and {@code _vs_after} are
 * the loss against each rate alone. Without both steady windows nothing is measured: {@link
 * #bothWindowsMeasured()} is false and the command fails.
 *
 * @param fields every reported value, in report order
 */
public record ReloadReport(Map<String, Object> fields) {
  /** The target: less than a tenth of a second's throughput lost around a swap. */
  public static final double MAX_DIP_FRACTION = 0.10;

  private static final long SETTLE_MILLIS = 2_000;

  /** Keeps an unmodifiable copy. */
  public ReloadReport {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /**
   * What the run did, beside the predictions.
   *
   * @param images records published, probe and backlog
   * @param poison poison records among them
   * @param sizing the probe's rates and the backlog sized from them
   * @param backlogImages records published after the probe
   * @param promotedMillis when the promote was published
   * @param instanceSwitchMillis per instance, when it swapped the new version in
   * @param elapsedSeconds the whole run
   */
  record Run(
      int images,
      int poison,
      ReloadBacklog sizing,
      int backlogImages,
      long promotedMillis,
      List<Long> instanceSwitchMillis,
      double elapsedSeconds) {}

  /**
   * Computes the report.
   *
   * @param seen every prediction, in the order read (per partition: offset order)
   * @param deadLetters dead letters read
   */
  static ReloadReport of(
      ReloadSettings settings, Run run, List<ReloadObserver.Seen> seen, int deadLetters) {
    long promotedMillis = run.promotedMillis();
    long steadyMillis = settings.steadySeconds() * 1000L;
    Map<Integer, Long> switchedAt = new HashMap<>();
    for (ReloadObserver.Seen s : seen) {
      if ("2".equals(s.version())) {
        switchedAt.merge(s.partition(), s.processedMillis(), Math::min);
      }
    }
    long first = switchedAt.values().stream().mapToLong(Long::longValue).min().orElse(-1);
    long last = switchedAt.values().stream().mapToLong(Long::longValue).max().orElse(-1);
    long windowEnd = Math.max(last, promotedMillis) + SETTLE_MILLIS;
    long window = windowEnd - promotedMillis;
    long lastPrediction =
        seen.stream().mapToLong(ReloadObserver.Seen::processedMillis).max().orElse(0);
    double before = rate(seen, promotedMillis - steadyMillis, promotedMillis);
    boolean afterMeasured = lastPrediction >= windowEnd + steadyMillis;
    double after = afterMeasured ? rate(seen, windowEnd, windowEnd + steadyMillis) : before;
    // The reference rate is the mean of the rates before and after the swap window, which cancels
    // a slow drift (JIT, other tenants) instead of counting it as a dip or a gain.
    double steady = (before + after) / 2;
    double produced = count(seen, promotedMillis, windowEnd);
    boolean measured = last >= 0 && before > 0 && afterMeasured;

    Map<String, Object> f = new LinkedHashMap<>();
    f.put("model", settings.shape().modelDescription() + " (untrained v1 -> v2)");
    f.put("both_windows_measured", measured);
    f.put("steady_images_per_s", steady);
    f.put("steady_before_images_per_s", before);
    f.put("steady_after_images_per_s", afterMeasured ? after : null);
    f.put("dip_fraction", measured ? lost(steady, window, produced) : null);
    f.put("dip_fraction_vs_before", measured ? lost(before, window, produced) : null);
    f.put("dip_fraction_vs_after", measured ? lost(after, window, produced) : null);
    f.put("dip_fraction_max", MAX_DIP_FRACTION);
    f.put("swap_window_over_steady", measured ? produced / (steady * window / 1000.0) : null);
    f.put(
        "dip_uncertainty",
        measured ? Math.abs(before - after) / 2 * window / 1000.0 / steady : null);
    f.put("timeline_250ms", timeline(seen, promotedMillis - 2000, windowEnd + 2000));
    f.put("swap_window_ms", last < 0 ? null : window);
    f.put("backlog_outlasted_window", lastPrediction > windowEnd);
    f.put("backlog_outlasted_after_window", afterMeasured);
    f.put("promote_to_first_prediction_ms", first < 0 ? null : first - promotedMillis);
    f.put("promote_to_last_partition_switch_ms", last < 0 ? null : last - promotedMillis);
    f.put(
        "promote_to_instance_swap_ms",
        run.instanceSwitchMillis().stream().map(t -> t - promotedMillis).toList());
    f.put("errors", errors(seen, run, deadLetters));
    f.put("images", run.images());
    f.put("poison_records", run.poison());
    f.put("dead_letters", deadLetters);
    f.put("predictions", seen.size());
    f.put("instances", settings.instances());
    f.put("partitions", settings.shape().partitions());
    f.put("batch_size", settings.shape().batchSize());
    f.put("steady_seconds", settings.steadySeconds());
    f.put("malloc", Malloc.inUse());
    f.put("cores", Runtime.getRuntime().availableProcessors());
    f.put("probe_images", settings.probeImages());
    f.put("probe_drain_images_per_s", run.sizing().drainPerSecond());
    f.put("backlog_images", run.backlogImages());
    f.put("elapsed_s", run.elapsedSeconds());
    return new ReloadReport(f);
  }

  /**
   * Throughput lost in the swap window against {@code rate}, in seconds of that rate: what the rate
   * would have produced in the window minus what was produced, never negative.
   */
  private static double lost(double rate, long windowMillis, double produced) {
    return Math.max(0, rate * windowMillis / 1000.0 - produced) / rate;
  }

  private static long count(List<ReloadObserver.Seen> seen, long from, long to) {
    return seen.stream()
        .filter(s -> s.processedMillis() >= from && s.processedMillis() < to)
        .count();
  }

  private static double rate(List<ReloadObserver.Seen> seen, long from, long to) {
    return count(seen, from, to) * 1000.0 / (to - from);
  }

  /** Predictions per 250 ms from {@code from} (2 s before the promote) to {@code to}. */
  private static List<Long> timeline(List<ReloadObserver.Seen> seen, long from, long to) {
    List<Long> counts = new ArrayList<>();
    for (long t = from; t < to; t += 250) {
      counts.add(count(seen, t, t + 250));
    }
    return counts;
  }

  /**
   * Everything that must not happen: a second prediction for an image, an image without one, a
   * version other than the two, a partition going back to v1 after v2, dead letters other than the
   * poison.
   */
  private static Map<String, Object> errors(
      List<ReloadObserver.Seen> seen, Run run, int deadLetters) {
    int poison = run.poison();
    Set<String> keys = new HashSet<>();
    int duplicates = 0;
    int otherVersions = 0;
    int flips = 0;
    Set<Integer> switched = new HashSet<>();
    for (ReloadObserver.Seen s : seen) {
      if (!keys.add(s.key())) {
        duplicates++;
      }
      if ("2".equals(s.version())) {
        switched.add(s.partition());
      } else if ("1".equals(s.version())) {
        flips += switched.contains(s.partition()) ? 1 : 0;
      } else {
        otherVersions++;
      }
    }
    Map<String, Object> errors = new LinkedHashMap<>();
    errors.put("duplicates", duplicates);
    errors.put("missing", Math.max(0, run.images() - poison - keys.size()));
    errors.put("other_versions", otherVersions);
    errors.put("flips_back", flips);
    errors.put("unexpected_dead_letters", Math.abs(deadLetters - poison));
    errors.put("total", errors.values().stream().mapToInt(v -> (Integer) v).sum());
    return errors;
  }

  /**
   * Whether the steady rate was measured both before the promote and after the swap window: without
   * both, the dip is not measured and the run must fail.
   */
  public boolean bothWindowsMeasured() {
    return Boolean.TRUE.equals(fields.get("both_windows_measured"));
  }

  /**
   * What went wrong when {@link #bothWindowsMeasured()} is false, saying what to change.
   *
   * @return a message, empty when both windows were measured
   */
  public String missingWindows() {
    if (bothWindowsMeasured()) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "The dip was not measured: the steady rate before the promote was %s and after the swap"
            + " window %s (the backlog of %s images ran out %s); the backlog is sized from the"
            + " probe's rate, so the run drained much faster than its probe (the machine's load"
            + " fell): rerun on a quieter machine, or with more --probe-images",
        fields.get("steady_before_images_per_s"),
        fields.get("steady_after_images_per_s") == null
            ? "not measured"
            : fields.get("steady_after_images_per_s"),
        fields.get("backlog_images"),
        Boolean.TRUE.equals(fields.get("backlog_outlasted_window"))
            ? "before the end of the after-swap window"
            : "inside the swap window");
  }

  /** A headline number, or NaN when it was not measured. */
  public double number(String field) {
    Object value = fields.get(field);
    return value instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /** One JSON object on one line. */
  public String toJson() {
    return Json.write(fields);
  }

  /** A few human-readable lines. */
  public String toTable() {
    StringBuilder t = new StringBuilder();
    line(
        t,
        "Glimpse reload benchmark: %s, %s instance(s), %s partitions, batch %s, malloc %s",
        fields.get("model"),
        fields.get("instances"),
        fields.get("partitions"),
        fields.get("batch_size"),
        fields.get("malloc"));
    line(
        t,
        "  steady throughput      %8.1f images/s (mean of %s s before and after the swap window)",
        number("steady_images_per_s"),
        fields.get("steady_seconds"));
    line(
        t,
        "  lost around the swap   %8.3f s of steady throughput (target < %.2f: %s); the swap"
            + " window ran at %.2f x steady, +/- %.3f s from drift",
        number("dip_fraction"),
        MAX_DIP_FRACTION,
        number("dip_fraction") < MAX_DIP_FRACTION ? "met" : "NOT met",
        number("swap_window_over_steady"),
        number("dip_uncertainty"));
    line(
        t,
        "  against the rate before alone %.3f s (%.1f images/s), after alone %.3f s (%.1f"
            + " images/s)",
        number("dip_fraction_vs_before"),
        number("steady_before_images_per_s"),
        number("dip_fraction_vs_after"),
        number("steady_after_images_per_s"));
    line(
        t,
        "  promote to first v2 prediction %.0f ms, to last partition switched %.0f ms;"
            + " instances swapped at %s ms",
        number("promote_to_first_prediction_ms"),
        number("promote_to_last_partition_switch_ms"),
        fields.get("promote_to_instance_swap_ms"));
    line(
        t,
        "  predictions per 250 ms from 2 s before the promote: %s",
        fields.get("timeline_250ms"));
    line(
        t,
        "  %s records (%s probe, then a backlog of %s sized from the probe's %.0f images/s; %s"
            + " poison, %s dead letters), errors %s",
        fields.get("images"),
        fields.get("probe_images"),
        fields.get("backlog_images"),
        number("probe_drain_images_per_s"),
        fields.get("poison_records"),
        fields.get("dead_letters"),
        fields.get("errors"));
    return t.toString();
  }

  private static void line(StringBuilder t, String format, Object... args) {
    t.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
  }
}
