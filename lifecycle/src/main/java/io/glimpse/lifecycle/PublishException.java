package io.glimpse.lifecycle;

/**
 * A model version could not be announced or deployed: Kafka or the schema registry failed or timed
 * out, or the serving version could not be read. The message says what and what to do.
 */
public class PublishException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what failed and what to do
   */
  public PublishException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and the cause.
   *
   * @param message what failed and what to do
   * @param cause the underlying failure
   */
  public PublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
