package io.glimpse.pipeline.batch;

/**
 * A batch cannot be handled now for a reason outside its records — the schema registry is
 * unreachable, times out or answers 5xx/429 — so no record of it is at fault. The batching
 * processor keeps every record of the batch in its buffer, forwards nothing, and retries with
 * backoff; it never dead-letters a record for this.
 */
public class RetriableBatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The reason, in words an operator reads in {@code /health}; the cause is kept. */
  public RetriableBatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
