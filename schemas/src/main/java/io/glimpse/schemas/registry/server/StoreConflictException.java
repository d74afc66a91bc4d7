package io.glimpse.schemas.registry.server;

import io.glimpse.schemas.registry.RegistryErrorCode;
import io.glimpse.schemas.registry.SchemaRegistryException;

/**
 * A {@link SchemaStore} refused an append because the log changed after the writer read it, usually
 * because another registry on the same store wrote first. Nothing was stored; read the log again
 * and retry. {@link SchemaRegistryService} does so itself and answers STORE_ERROR only when the log
 * keeps changing.
 */
public class StoreConflictException extends SchemaRegistryException {
  private static final long serialVersionUID = 1L;

  /** A conflict with what was expected, what was found and, when known, the cause. */
  public StoreConflictException(String message, Throwable cause) {
    super(
        RegistryErrorCode.STORE_ERROR.httpStatus(),
        RegistryErrorCode.STORE_ERROR.code(),
        message + "; nothing was stored: read the log again and retry",
        cause);
  }
}
