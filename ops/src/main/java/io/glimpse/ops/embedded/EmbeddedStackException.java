package io.glimpse.ops.embedded;

/**
 * The embedded stack could not be configured, started or used. The message says what went wrong and
 * what to do about it; the cause, when there is one, is kept.
 */
public class EmbeddedStackException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error without an underlying cause, such as an invalid setting. */
  public EmbeddedStackException(String message) {
    super(message);
  }

  /** An error caused by a failure inside Kafka or the file system. */
  public EmbeddedStackException(String message, Throwable cause) {
    super(message, cause);
  }
}
