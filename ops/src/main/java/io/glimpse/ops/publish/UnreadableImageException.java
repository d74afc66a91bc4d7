package io.glimpse.ops.publish;

/**
 * One image file cannot be published: it cannot be read, is not an image Glimpse classifies, or is
 * larger than the pipeline takes. The message names the file, says what is wrong and what to do.
 */
public final class UnreadableImageException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the file, what is wrong, what to do
   * @param cause the underlying failure, or null
   */
  public UnreadableImageException(String message, Throwable cause) {
    super(message, cause);
  }
}
