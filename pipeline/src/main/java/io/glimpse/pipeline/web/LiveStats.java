package io.glimpse.pipeline.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rate, latency percentiles and accuracy of the predictions seen over the last minute, in one
 * bucket per second of processing time: fixed memory however many predictions pass. Latencies go
 * into a fixed histogram, so a percentile is the upper edge of its bucket. Not thread-safe: the
 * feed's thread adds and snapshots.
 */
final class LiveStats {
  /** How many seconds the charts span. */
  static final int SECONDS = 60;

  /** Upper edges of the latency buckets in milliseconds; the last catches everything above. */
  private static final long[] EDGES = {
    1,
    2,
    3,
    5,
    7,
    10,
    15,
    20,
    30,
    50,
    70,
    100,
    150,
    200,
    300,
    500,
    700,
    1_000,
    1_500,
    2_000,
    3_000,
    5_000,
    7_000,
    10_000,
    20_000,
    60_000,
    Long.MAX_VALUE
  };

  private final Bucket[] buckets = new Bucket[SECONDS + 1];

  LiveStats() {
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new Bucket();
    }
  }

  /** Counts one prediction processed at {@code timeMs}; {@code correct} is null when unlabelled. */
  void add(long timeMs, long latencyMs, Boolean correct) {
    long second = Math.floorDiv(timeMs, 1000);
    Bucket b = buckets[(int) Math.floorMod(second, (long) buckets.length)];
    if (b.second != second) {
      if (second < b.second) {
        return; // older than the window
      }
      b.reset(second);
    }
    b.count++;
    b.latency[bucketOf(latencyMs)]++;
    if (correct != null) {
      b.labelled++;
      if (correct) {
        b.correct++;
      }
    }
  }

  /** The last minute up to {@code nowMs}: one point per second, and the totals. */
  Snapshot snapshot(long nowMs) {
    long now = Math.floorDiv(nowMs, 1000);
    List<Point> points = new ArrayList<>(SECONDS);
    long[] total = new long[EDGES.length];
    long count = 0;
    long labelled = 0;
    long correct = 0;
    long first = Long.MAX_VALUE;
    for (long s = now - SECONDS + 1; s <= now; s++) {
      Bucket b = buckets[(int) Math.floorMod(s, (long) buckets.length)];
      if (b.second != s || b.count == 0) {
        points.add(new Point(s * 1000, 0, null, null, null));
        continue;
      }
      for (int i = 0; i < EDGES.length; i++) {
        total[i] += b.latency[i];
      }
      first = Math.min(first, s);
      count += b.count;
      labelled += b.labelled;
      correct += b.correct;
      points.add(
          new Point(
              s * 1000,
              b.count,
              percentile(b.latency, b.count, 0.50),
              percentile(b.latency, b.count, 0.99),
              b.labelled == 0 ? null : (double) b.correct / b.labelled));
    }
    return new Snapshot(
        points,
        count == 0 ? 0 : (double) count / (now - first + 1),
        count == 0 ? null : percentile(total, count, 0.50),
        count == 0 ? null : percentile(total, count, 0.99),
        labelled == 0 ? null : (double) correct / labelled,
        labelled);
  }

  private static int bucketOf(long latencyMs) {
    for (int i = 0; i < EDGES.length; i++) {
      if (latencyMs <= EDGES[i]) {
        return i;
      }
    }
    return EDGES.length - 1;
  }

  private static Long percentile(long[] histogram, long count, double q) {
    long rank = (long) Math.ceil(q * count);
    long seen = 0;
    for (int i = 0; i < histogram.length; i++) {
      seen += histogram[i];
      if (seen >= rank && histogram[i] > 0) {
        return EDGES[i] == Long.MAX_VALUE ? EDGES[i - 1] : EDGES[i];
      }
    }
    return null;
  }

  /**
   * One second.
   *
   * @param time its start (epoch ms)
   * @param count predictions processed in it
   * @param p50Ms median latency (bucket edge), null when none
   * @param p99Ms 99th percentile latency (bucket edge), null when none
   * @param accuracy share of labelled predictions that were right, null when none was labelled
   */
  record Point(long time, long count, Long p50Ms, Long p99Ms, Double accuracy) {}

  /**
   * The last minute.
   *
   * @param points one per second, oldest first
   * @param ratePerSecond predictions per second from the first second with any in the minute (a
   *     page just opened, or a stream just started, is not averaged over empty seconds) to now
   * @param p50Ms median latency over the minute
   * @param p99Ms 99th percentile over the minute
   * @param accuracy over the labelled predictions of the minute
   * @param labelled how many predictions of the minute carried a true label
   */
  record Snapshot(
      List<Point> points,
      double ratePerSecond,
      Long p50Ms,
      Long p99Ms,
      Double accuracy,
      long labelled) {}

  private static final class Bucket {
    long second = Long.MIN_VALUE;
    long count;
    long labelled;
    long correct;
    final long[] latency = new long[EDGES.length];

    void reset(long second) {
      this.second = second;
      count = 0;
      labelled = 0;
      correct = 0;
      Arrays.fill(latency, 0);
    }
  }
}
