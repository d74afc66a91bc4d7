package io.glimpse.trainer.data;

/**
 * A data set is missing, unreadable or malformed. The message names the path, what was expected
 * there and what to do; the underlying cause, if any, is kept.
 */
public class DatasetException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what was wrong, where, and what to do
   */
  public DatasetException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and the cause.
   *
   * @param message what was wrong, where, and what to do
   * @param cause the underlying failure
   */
  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
