package io.glimpse.trainer;

/**
 * A training run could not start, continue or write its outputs. The message says what failed and
 * what to do; the cause, if any, is kept.
 */
public class TrainingException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what failed and what to do
   */
  public TrainingException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and the cause.
   *
   * @param message what failed and what to do
   * @param cause the underlying failure
   */
  public TrainingException(String message, Throwable cause) {
    super(message, cause);
  }
}
