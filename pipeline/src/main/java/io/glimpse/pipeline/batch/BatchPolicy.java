package io.glimpse.pipeline.batch;

import java.time.Duration;

/**
 * When a batch is classified: as soon as it holds {@code maxSize} records, or once its oldest
 * record has waited {@code maxLinger} of wall-clock time, whichever comes first.
 */
public record BatchPolicy(int maxSize, Duration maxLinger) {
  /** Validates both limits. */
  public BatchPolicy {
    if (maxSize < 1) {
      throw new IllegalArgumentException("Batch max size must be at least 1, got " + maxSize);
    }
    if (maxLinger.isNegative()) {
      throw new IllegalArgumentException("Batch linger must not be negative, got " + maxLinger);
    }
  }

  /**
   * How often the wall-clock punctuator checks the oldest record's age: a quarter of the linger, at
   * least 1 ms and at most 100 ms, so a linger flush is at most a quarter-linger late.
   */
  public Duration punctuationInterval() {
    long millis = Math.max(1, Math.min(100, maxLinger.toMillis() / 4));
    return Duration.ofMillis(millis);
  }
}
