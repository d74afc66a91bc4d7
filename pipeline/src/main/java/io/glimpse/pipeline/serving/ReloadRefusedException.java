package io.glimpse.pipeline.serving;

/** A deployment that cannot be served; the served version keeps serving. */
public final class ReloadRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A refusal saying what was wrong with the deployment and what to do. */
  public ReloadRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
