package io.glimpse.model.artifact;

/**
 * A model artifact could not be written, packed, unpacked, verified or loaded. The message says
 * what was wrong and what to do about it; the underlying cause, if any, is kept.
 */
public class ModelArtifactException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what was wrong and what to do
   */
  public ModelArtifactException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and the cause.
   *
   * @param message what was wrong and what to do
   * @param cause the underlying failure
   */
  public ModelArtifactException(String message, Throwable cause) {
    super(message, cause);
  }
}
