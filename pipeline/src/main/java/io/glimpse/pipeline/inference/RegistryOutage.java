package io.glimpse.pipeline.inference;

import io.glimpse.pipeline.batch.RetriableBatchException;
import io.glimpse.schemas.registry.RegistryErrorCode;
import io.glimpse.schemas.registry.SchemaRegistryException;
import java.util.Optional;

/**
 * Tells a schema registry that cannot answer now from one that answered about the record. The first
 * is an outage, and the batch waits for the registry; the second is the record's fault.
 */
final class RegistryOutage {
  private RegistryOutage() {}

  /**
   * The registry failure behind {@code failure} when it means the registry is unavailable; empty
   * when {@code failure} did not come from the registry or the registry answered.
   */
  static Optional<SchemaRegistryException> behind(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SchemaRegistryException registry) {
        return unavailable(registry) ? Optional.of(registry) : Optional.empty();
      }
    }
    return Optional.empty();
  }

  /**
   * Throws a {@link RetriableBatchException} when the registry failure behind {@code failure} is an
   * outage; returns otherwise, leaving the failure to the caller.
   *
   * @param question what could not be asked, for the operator: "about the writer schema of
   *     images-0@42"
   */
  static void rethrowIfUnavailable(RuntimeException failure, String question) {
    behind(failure)
        .ifPresent(
            registry -> {
              throw new RetriableBatchException(
                  "The schema registry cannot be asked " + question + ": " + registry.getMessage(),
                  failure);
            });
  }

  /**
   * Whether the registry failed rather than the record: no answer (I/O error, timeout, interrupt:
   * status 0), a server error or throttling (5xx, 408, 429), or a refusal of our credentials (401,
   * 403) — a configuration fault to fix, not a reason to drop good images. A 404 for the schema id
   * from a registry that answers is the record's fault.
   */
  static boolean unavailable(SchemaRegistryException e) {
    int status = e.httpStatus();
    if (e.errorCode() == RegistryErrorCode.SCHEMA_NOT_FOUND.code()) {
      return false;
    }
    return status == 0
        || status >= 500
        || status == 408
        || status == 429
        || status == 401
        || status == 403;
  }
}
