package io.glimpse.model.store;

/**
 * The store could not be reached or answered with a server error (connection refused, a timeout,
 * HTTP 5xx or throttling): nothing is known to be wrong with the version, so the request is worth
 * retrying later. Anything else a store refuses (outside the store, partial, corrupt) is a plain
 * {@link ModelStoreException} and stays refused.
 */
public class StoreUnavailableException extends ModelStoreException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message and the cause.
   *
   * @param message what could not be reached, and that it will be retried
   * @param cause the underlying failure
   */
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
