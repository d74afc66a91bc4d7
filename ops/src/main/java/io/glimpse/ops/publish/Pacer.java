package io.glimpse.ops.publish;

import java.util.concurrent.locks.LockSupport;

/**
 * Spaces events evenly at a rate: the n-th waits until {@code n / rate} seconds after the first, so
 * a slow send is caught up on instead of slowing every later one. A rate of 0 never waits.
 */
public final class Pacer {
  private final double perSecond;
  private long start = -1;
  private long count;

  /**
   * Creates a pacer.
   *
   * @param perSecond events a second; 0 for as fast as they come
   */
  public Pacer(double perSecond) {
    if (perSecond < 0 || Double.isNaN(perSecond)) {
      throw new IllegalArgumentException("the rate must be 0 or more, got " + perSecond);
    }
    this.perSecond = perSecond;
  }

  /** Waits until the next event is due. */
  public void awaitNext() {
    long now = System.nanoTime();
    if (start < 0) {
      start = now;
    }
    if (perSecond > 0) {
      long due = start + (long) (count * 1e9 / perSecond);
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
    }
    count++;
  }
}
