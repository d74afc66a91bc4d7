package io.glimpse.schemas.registry;

/** The error codes of the Confluent Schema Registry REST API that Glimpse speaks. */
public enum RegistryErrorCode {
  SUBJECT_NOT_FOUND(404, 40401),
  VERSION_NOT_FOUND(404, 40402),
  SCHEMA_NOT_FOUND(404, 40403),
  /** Confluent answers 409 with body code 409 (older) or 40901 (newer); key on the HTTP status. */
  INCOMPATIBLE_SCHEMA(409, 409),
  INVALID_SCHEMA(422, 42201),
  INVALID_VERSION(422, 42202),
  INVALID_COMPATIBILITY_LEVEL(422, 42203),
  STORE_ERROR(500, 50001),
  OPERATION_TIMEOUT(500, 50002),
  /** Not a Confluent code: no registry URL answered at all. */
  UNREACHABLE(0, 0);

  private final int httpStatus;
  private final int code;

  RegistryErrorCode(int httpStatus, int code) {
    this.httpStatus = httpStatus;
    this.code = code;
  }

  /** The HTTP status the registry answers with. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The {@code error_code} in the JSON body. */
  public int code() {
    return code;
  }
}
