package io.glimpse.ops.evaluation;

/** A replay evaluation or comparison could not run; the message says why and what to do. */
public final class EvaluationException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed and what to do
   * @param cause the underlying failure, or null
   */
  public EvaluationException(String message, Throwable cause) {
    super(message, cause);
  }
}
