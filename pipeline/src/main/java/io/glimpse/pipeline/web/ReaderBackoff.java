package io.glimpse.pipeline.web;

import java.time.Duration;

/**
 * How long the live page's reader waits before it reopens after a failure: {@link #FIRST}, doubling
 * up to {@link #MAX}, and {@link #FIRST} again once a read succeeds. It also says when an outage
 * begins, so that each outage is logged once rather than once per try or per record.
 */
final class ReaderBackoff {
  static final Duration FIRST = Duration.ofMillis(500);
  static final Duration MAX = Duration.ofSeconds(30);

  private final Duration first;
  private final Duration max;
  private Duration next;
  private int failures;

  ReaderBackoff(Duration first, Duration max) {
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException(
          "A backoff needs 0 < first <= max; got first " + first + ", max " + max);
    }
    this.first = first;
    this.max = max;
    this.next = first;
  }

  /** Counts a failure; returns how long to wait before the next try. */
  synchronized Duration failed() {
    Duration wait = next;
    next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
    failures++;
    return wait;
  }

  /** Whether the failure counted last began an outage (the one failure to log as a warning). */
  synchronized boolean outageBegan() {
    return failures == 1;
  }

  /** Counts a success; returns how many failures in a row it ends (0: there was no outage). */
  synchronized int succeeded() {
    int ended = failures;
    failures = 0;
    next = first;
    return ended;
  }

  /** Failures in a row so far. */
  synchronized int failures() {
    return failures;
  }
}
