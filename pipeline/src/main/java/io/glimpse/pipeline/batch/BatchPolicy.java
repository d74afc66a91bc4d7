package io.glimpse.pipeline.batch;

import java.time.Duration;

/**
 * When a batch is classified: as soon as it holds {@code maxSize} records; when {@code
 * flushWhenIdle} and no further record of its partition is waiting (natural batching: a lone image
 * is classified at once, a backlog still fills batches); and at the latest once its oldest record
 * has waited {@code maxLinger} of wall-clock time. With {@code commitWhenIdle}, a flush that leaves
 * nothing waiting asks Kafka Streams to commit now, so that its predictions become visible to
 * read_committed consumers without waiting for {@code commit.interval.ms}; under load the commit
 * interval governs, because something is always waiting.
 */
public record BatchPolicy(
    int maxSize, Duration maxLinger, boolean flushWhenIdle, boolean commitWhenIdle) {

  /** Size and linger, flushing and committing when idle (the defaults). */
  public BatchPolicy(int maxSize, Duration maxLinger) {
    this(maxSize, maxLinger, true, true);
  }

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
