package io.glimpse.ops.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * The outcome of {@code glimpse bench scaleout}: per phase, the throughput, the CPU each process
 * used and the end-to-end latency; per event (the second process joining, a reload, one process
 * leaving), the longest time no prediction became visible; the reload's convergence; and errors.
 * The computations are static and take the predictions as {@link ReloadObserver} saw them.
 *
 * @param fields every reported value, in report order
 */
public record ScaleOutReport(Map<String, Object> fields) {

  /** Keeps an unmodifiable copy. */
  public ScaleOutReport {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** Predictions per second processed in {@code [from, to)}. */
  static double throughput(List<ReloadObserver.Seen> seen, long from, long to) {
    long count =
        seen.stream().filter(s -> s.processedMillis() >= from && s.processedMillis() < to).count();
    return count * 1000.0 / (to - from);
  }

  /**
   * End-to-end latency percentiles, in ms, of the images published in {@code [from, to)}: from the
   * publish to the prediction being read by a read_committed consumer.
   */
  static Map<String, Object> latency(List<ReloadObserver.Seen> seen, long from, long to) {
    double[] sorted =
        seen.stream()
            .filter(s -> s.publishedMillis() >= from && s.publishedMillis() < to)
            .mapToDouble(s -> s.readMillis() - s.publishedMillis())
            .sorted()
            .toArray();
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("images", sorted.length);
    latency.put("p50_ms", LatencyProbe.percentile(sorted, 0.50));
    latency.put("p99_ms", LatencyProbe.percentile(sorted, 0.99));
    latency.put("max_ms", sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
    return latency;
  }

  /**
   * The longest stretch within {@code [from, to)} with no prediction, by the given time: the gaps
   * between consecutive predictions, and from {@code from} to the first one.
   */
  static long longestGap(
      List<ReloadObserver.Seen> seen, long from, long to, ToLongFunction<ReloadObserver.Seen> at) {
    long[] times = seen.stream().mapToLong(at).filter(t -> t >= from && t < to).sorted().toArray();
    if (times.length == 0) {
      return to - from;
    }
    long longest = times[0] - from;
    for (int i = 1; i < times.length; i++) {
      longest = Math.max(longest, times[i] - times[i - 1]);
    }
    return longest;
  }

  /** Predictions per 500 ms, by read time, from {@code from} to {@code to}. */
  static List<Long> timeline(List<ReloadObserver.Seen> seen, long from, long to) {
    List<Long> counts = new ArrayList<>();
    for (long t = from; t < to; t += 500) {
      long start = t;
      counts.add(
          seen.stream()
              .filter(s -> s.readMillis() >= start && s.readMillis() < start + 500)
              .count());
    }
    return counts;
  }

  /** A second prediction for an image, an image without one, dead letters other than the poison. */
  static Map<String, Object> errors(
      List<ReloadObserver.Seen> seen, int published, int poison, int deadLetters) {
    Set<String> keys = new HashSet<>();
    int duplicates = 0;
    for (ReloadObserver.Seen s : seen) {
      if (!keys.add(s.key())) {
        duplicates++;
      }
    }
    Map<String, Object> errors = new LinkedHashMap<>();
    errors.put("duplicates", duplicates);
    errors.put("missing", Math.max(0, published - poison - keys.size()));
    errors.put("unexpected_dead_letters", Math.abs(deadLetters - poison));
    errors.put("total", errors.values().stream().mapToInt(v -> (Integer) v).sum());
    return errors;
  }

  /** One JSON object on one line. */
  public String toJson() {
    return Json.write(fields);
  }

  /** The errors' total, 0 when nothing was lost, duplicated or wrongly dead-lettered. */
  public int errorTotal() {
    Object errors = fields.get("errors");
    return errors instanceof Map<?, ?> m && m.get("total") instanceof Integer total ? total : -1;
  }

  /** A few human-readable lines. */
  public String toTable() {
    StringBuilder t = new StringBuilder();
    line(t, "Glimpse scale-out benchmark: %s", fields.get("setup"));
    Object phases = fields.get("phases");
    if (phases instanceof List<?> list) {
      for (Object phase : list) {
        line(t, "  %s", phase);
      }
    }
    for (String event : List.of("join", "reload", "leave")) {
      line(t, "  %-6s %s", event, fields.get(event));
    }
    line(t, "  errors %s", fields.get("errors"));
    return t.toString();
  }

  private static void line(StringBuilder t, String format, Object... args) {
    t.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
  }
}
