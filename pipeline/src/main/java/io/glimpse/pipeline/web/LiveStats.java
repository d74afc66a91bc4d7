package io.glimpse.pipeline.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rate, latency percentiles and accuracy of the predictions seen over the last minute, in one
 * bucket per second of the time they were seen: fixed memory however many predictions pass. Every
 * prediction is {@linkplain #count counted}; latency and accuracy come from a {@linkplain #sample
 * sample}. Latencies go into a fixed histogram, so a percentile is the upper edge of its bucket.
 * Not thread-safe: the feed's thread adds and snapshots.
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

  /** Counts one prediction seen at {@code timeMs}. */
  void count(long timeMs) {
    Bucket b = bucket(timeMs);
    if (b != null) {
      b.count++;
    }
  }

  /**
   * Adds one prediction of the sample seen at {@code timeMs} to the latency and accuracy of its
   * second; {@code correct} is null when unlabelled.
   */
  void sample(long timeMs, long latencyMs, Boolean correct) {
    Bucket b = bucket(timeMs);
    if (b == null) {
      return;
    }
    b.sampled++;
    b.latency[bucketOf(latencyMs)]++;
    if (correct != null) {
      b.labelled++;
      if (correct) {
        b.correct++;
      }
    }
  }

  /** The bucket of this second, emptied if it held an older one; null when it is too old. */
  private Bucket bucket(long timeMs) {
    long second = Math.floorDiv(timeMs, 1000);
    Bucket b = buckets[(int) Math.floorMod(second, (long) buckets.length)];
    if (b.second != second) {
      if (second < b.second) {
        return null; // older than the window
      }
      b.reset(second);
    }
    return b;
  }

  /** The last minute up to {@code nowMs}: one point per second, and the totals. */
  Snapshot snapshot(long nowMs) {
    long now = Math.floorDiv(nowMs, 1000);
    List<Point> points = new ArrayList<>(SECONDS);
    long[] total = new long[EDGES.length];
    long count = 0;
    long sampled = 0;
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
      sampled += b.sampled;
      labelled += b.labelled;
      correct += b.correct;
      points.add(
          new Point(
              s * 1000,
              b.count,
              percentile(b.latency, b.sampled, 0.50),
              percentile(b.latency, b.sampled, 0.99),
              b.labelled == 0 ? null : (double) b.correct / b.labelled));
    }
    return new Snapshot(
        points,
        count == 0 ? 0 : (double) count / (now - first + 1),
        percentile(total, sampled, 0.50),
        percentile(total, sampled, 0.99),
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
    if (count == 0) {
      return null;
    }
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
   * @param count predictions seen in it
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
   * @param p50Ms median latency over the minute's sample
   * @param p99Ms 99th percentile over the minute's sample
   * @param accuracy over the labelled predictions of the minute's sample
   * @param labelled how many predictions of the minute's sample carried a true label
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
    long sampled;
    long labelled;
    long correct;
    final long[] latency = new long[EDGES.length];

    void reset(long second) {
      this.second = second;
      count = 0;
      sampled = 0;
      labelled = 0;
      correct = 0;
      Arrays.fill(latency, 0);
    }
  }
}
