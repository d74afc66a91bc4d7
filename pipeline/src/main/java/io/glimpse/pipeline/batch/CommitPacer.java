package io.glimpse.pipeline.batch;

import java.util.function.DoubleSupplier;

/**
 * Decides when a batcher whose input went idle may ask Kafka Streams for a commit, so that the
 * commits bought for latency never eat the capacity the stream thread needs for images.
 *
 * <p>A commit costs the stream thread about {@code c} ms (Streams' own {@code commit-latency-avg}
 * of the thread; under exactly_once_v2 a transaction's end, a few ms to tens of ms). The pacer
 * spends at most {@link #SPARE_SHARE} of the thread's spare time on such commits: with the thread
 * busy a fraction {@code u} of the time classifying, consecutive requested commits are at least
 * {@code c / (SPARE_SHARE × (1 − u))} apart. At 20 images/s that is about one commit per image, so
 * each is visible at once; near saturation the spacing passes {@code commit.interval.ms} and only
 * Streams' own commits remain, so throughput is what it would be without the pacer. A request that
 * comes too soon is not dropped: it falls due at the end of the spacing ({@link #due}), which the
 * batcher's punctuator checks.
 *
 * <p>{@code u} is measured, not configured: the time spent in batches over the last full second and
 * the current one. One pacer per stream thread (one commit covers all of a thread's tasks under
 * exactly_once_v2); not thread-safe.
 */
final class CommitPacer {
  /** The share of the thread's spare time that requested commits may take. */
  static final double SPARE_SHARE = 0.5;

  private static final long WINDOW_NANOS = 1_000_000_000L;
  private static final double DEFAULT_COMMIT_MILLIS = 20;

  private final DoubleSupplier commitMillis;
  private final long maxSpacingNanos;
  private long windowStart = Long.MIN_VALUE;
  private long busyInWindow;
  private double previousBusyShare;
  private long lastRequest = Long.MIN_VALUE;
  private long dueAt = Long.MIN_VALUE;

  /**
   * A pacer.
   *
   * @param commitMillis what a commit of this thread costs, in ms (NaN or below 0: unknown yet)
   * @param maxSpacingMillis {@code commit.interval.ms}: spacing beyond it is left to Streams
   */
  CommitPacer(DoubleSupplier commitMillis, long maxSpacingMillis) {
    this.commitMillis = commitMillis;
    this.maxSpacingNanos = maxSpacingMillis * 1_000_000L;
  }

  /** A batch kept the thread busy for {@code nanos}, ending at {@code now} (System.nanoTime()). */
  void busy(long now, long nanos) {
    roll(now);
    busyInWindow += nanos;
  }

  /**
   * The input is idle and predictions await a commit: whether to request one now. When it is too
   * soon, a request falls due later instead (see {@link #due}).
   */
  boolean requestNow(long now) {
    roll(now);
    long spacing = spacingNanos(now);
    if (spacing >= maxSpacingNanos) {
      dueAt = Long.MIN_VALUE;
      return false;
    }
    if (lastRequest == Long.MIN_VALUE || now - lastRequest >= spacing) {
      lastRequest = now;
      dueAt = Long.MIN_VALUE;
      return true;
    }
    dueAt = lastRequest + spacing;
    return false;
  }

  /** Whether a request that came too soon is due now; if so it counts as made. */
  boolean due(long now) {
    if (dueAt == Long.MIN_VALUE || now < dueAt) {
      return false;
    }
    lastRequest = now;
    dueAt = Long.MIN_VALUE;
    return true;
  }

  /** The share of the recent wall-clock time the thread spent classifying, 0 to 1. */
  double busyShare(long now) {
    roll(now);
    long elapsed = Math.max(1, now - windowStart);
    double current = Math.min(1, (double) busyInWindow / elapsed);
    // Early in a window its own share is noisy: lean on the last full one.
    double weight = Math.min(1, (double) elapsed / WINDOW_NANOS);
    return weight * current + (1 - weight) * previousBusyShare;
  }

  private long spacingNanos(long now) {
    double cost = commitMillis.getAsDouble();
    if (!(cost >= 0)) {
      cost = DEFAULT_COMMIT_MILLIS;
    }
    double spare = SPARE_SHARE * (1 - busyShare(now));
    if (spare <= 0.001) {
      return Long.MAX_VALUE;
    }
    return (long) (cost * 1_000_000L / spare);
  }

  private void roll(long now) {
    if (windowStart == Long.MIN_VALUE) {
      windowStart = now;
      return;
    }
    if (now - windowStart >= WINDOW_NANOS) {
      previousBusyShare = Math.min(1, (double) busyInWindow / (now - windowStart));
      windowStart = now;
      busyInWindow = 0;
    }
  }
}
