package io.glimpse.model.image;

/**
 * An image was refused by {@link ImageDecoder}. {@link #reason()} says which kind of problem it was
 * (a pipeline can count or route by it); the message says what was expected, what came and what to
 * do. The underlying decoder failure, if any, is kept as the cause.
 */
public final class ImageRejectedException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why an image was refused. */
  public enum Reason {
    /** The content type is not one of {@link ContentTypes}. */
    UNSUPPORTED_CONTENT_TYPE,
    /** The bytes are not a complete, valid image of the declared type. */
    UNDECODABLE,
    /** The image has more pixels than the decoder's limit (a decompression bomb, or just huge). */
    TOO_LARGE,
    /** Raw pixels whose declared width, height or channels are missing, invalid or disagree. */
    INVALID_RAW_LAYOUT
  }

  private final Reason reason;

  /**
   * Creates an exception without a cause.
   *
   * @param reason the kind of problem
   * @param message what was expected, what came, what to do
   */
  public ImageRejectedException(Reason reason, String message) {
    this(reason, message, null);
  }

  /**
   * Creates an exception with the decoder failure that caused it.
   *
   * @param reason the kind of problem
   * @param message what was expected, what came, what to do
   * @param cause the underlying failure, or null
   */
  public ImageRejectedException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /**
   * Returns the kind of problem.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }
}
