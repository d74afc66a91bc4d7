package io.glimpse.pipeline.serving;

/**
 * A deployment that cannot be loaded yet because the model store is unavailable (an S3 outage):
 * nothing is known to be wrong with the version, so it is retried with the outage backoff while the
 * served version keeps serving.
 */
public final class ReloadDeferredException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A deferral saying what could not be reached. */
  public ReloadDeferredException(String message, Throwable cause) {
    super(message, cause);
  }
}
