package io.glimpse.model.store;

/**
 * A model store could not be opened, read or written, or refused a request: a write of an existing
 * version, an artifact URI outside the store, a partial or unbounded version. The message names the
 * URI or file, says why and what to do; the cause, if any, is kept.
 */
public class ModelStoreException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what failed and what to do
   */
  public ModelStoreException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and the cause.
   *
   * @param message what failed and what to do
   * @param cause the underlying failure
   */
  public ModelStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
