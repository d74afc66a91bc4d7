package io.glimpse.pipeline.metrics;

import java.util.concurrent.atomic.AtomicLongArray;

/** Events per second over a sliding window of whole seconds; thread-safe, allocation-free. */
final class ThroughputWindow {
  private final int seconds;
  private final AtomicLongArray counts;
  private final AtomicLongArray epochs;

  ThroughputWindow(int seconds) {
    this.seconds = seconds;
    this.counts = new AtomicLongArray(seconds);
    this.epochs = new AtomicLongArray(seconds);
  }

  void add(long n) {
    long second = System.currentTimeMillis() / 1000;
    int slot = (int) (second % seconds);
    if (epochs.getAndSet(slot, second) != second) {
      counts.set(slot, 0);
    }
    counts.addAndGet(slot, n);
  }

  double perSecond() {
    long now = System.currentTimeMillis() / 1000;
    long total = 0;
    for (int i = 0; i < seconds; i++) {
      long age = now - epochs.get(i);
      if (age > 0 && age <= seconds) { // whole seconds only: the current one is still filling
        total += counts.get(i);
      }
    }
    return total / (double) seconds;
  }
}
