package io.glimpse.pipeline.serving;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a deferred reload again later, on a thread of its own, with the outage backoff ({@code
 * glimpse.outage.retry.backoff.*}): the first wait, doubling up to the maximum while the store
 * stays unavailable. At most one retry is pending; scheduling or resetting replaces it.
 */
final class ReloadRetry implements AutoCloseable {

  private final Duration first;
  private final Duration max;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "glimpse-reload-retry");
            thread.setDaemon(true);
            return thread;
          });
  private ScheduledFuture<?> pending;
  private Duration next;

  ReloadRetry(Duration first, Duration max) {
    if (first.isNegative() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException(
          "Retry backoff must be >= 0 and <= its maximum, got " + first + " and " + max);
    }
    this.first = first;
    this.max = max;
    this.next = first;
  }

  /**
   * Runs {@code attempt} after the current backoff, replacing a pending one, and doubles the
   * backoff for the time after.
   *
   * @return the wait before the attempt
   */
  synchronized Duration schedule(Runnable attempt) {
    cancelPending();
    Duration wait = next;
    next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
    if (!executor.isShutdown()) {
      pending = executor.schedule(attempt, wait.toMillis(), TimeUnit.MILLISECONDS);
    }
    return wait;
  }

  /** Drops a pending retry and starts the backoff over (the reload succeeded, or was replaced). */
  synchronized void reset() {
    cancelPending();
    next = first;
  }

  private void cancelPending() {
    if (pending != null) {
      pending.cancel(false);
      pending = null;
    }
  }

  @Override
  public synchronized void close() {
    cancelPending();
    executor.shutdownNow();
  }
}
