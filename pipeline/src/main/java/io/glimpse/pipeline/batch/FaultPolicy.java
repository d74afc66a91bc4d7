package io.glimpse.pipeline.batch;

import java.time.Duration;

/**
 * How the batching processor treats records and batches that fail.
 *
 * @param maxImageBytes a record value larger than this is dead-lettered as IMAGE_TOO_LARGE before
 *     it is buffered (it would not fit in the buffer's changelog)
 * @param maxConsecutiveFailures after this many failures in a row of one record in {@code
 *     process()}, the record is dead-lettered as PROCESSING_FAILED; after this many failed batches
 *     in a row of one task, the client stops
 * @param retryBackoff the first wait before a batch that met an outage is retried (doubling)
 * @param maxRetryBackoff the longest wait between retries
 */
public record FaultPolicy(
    int maxImageBytes,
    int maxConsecutiveFailures,
    Duration retryBackoff,
    Duration maxRetryBackoff) {

  /** The defaults of glimpse-pipeline-defaults.properties. */
  public static final FaultPolicy DEFAULT =
      new FaultPolicy(900 * 1024, 3, Duration.ofMillis(500), Duration.ofSeconds(30));

  /** Validates the limits. */
  public FaultPolicy {
    if (maxImageBytes < 1 || maxConsecutiveFailures < 1) {
      throw new IllegalArgumentException(
          "Image byte limit and failure limit must be at least 1, got "
              + maxImageBytes
              + " and "
              + maxConsecutiveFailures);
    }
    if (retryBackoff.isNegative() || maxRetryBackoff.compareTo(retryBackoff) < 0) {
      throw new IllegalArgumentException(
          "Retry backoff must be >= 0 and <= its maximum, got "
              + retryBackoff
              + " and "
              + maxRetryBackoff);
    }
  }
}
