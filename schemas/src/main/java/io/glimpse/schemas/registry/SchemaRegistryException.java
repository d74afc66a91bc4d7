package io.glimpse.schemas.registry;

/**
 * A schema registry refused or failed a request. Carries the registry's own error code (for example
 * {@link RegistryErrorCode#SUBJECT_NOT_FOUND} 40401) and HTTP status, so callers can react to the
 * code instead of parsing the message.
 */
public class SchemaRegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int httpStatus;
  private final int errorCode;

  /** An error with the registry's HTTP status, error code and message. */
  public SchemaRegistryException(int httpStatus, int errorCode, String message) {
    super(message + " (error code " + errorCode + ", HTTP " + httpStatus + ")");
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  /** An error with a cause, such as an I/O failure talking to every registry URL. */
  public SchemaRegistryException(int httpStatus, int errorCode, String message, Throwable cause) {
    super(message + " (error code " + errorCode + ", HTTP " + httpStatus + ")", cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  /** Creates the exception for a well-known registry error. */
  public static SchemaRegistryException of(RegistryErrorCode code, String message) {
    return new SchemaRegistryException(code.httpStatus(), code.code(), message);
  }

  /** HTTP status of the response, or 0 when no response arrived. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The registry's error code, e.g. 40401; 0 when no response arrived. */
  public int errorCode() {
    return errorCode;
  }

  /** The message without the appended code and status. */
  public String registryMessage() {
    String m = getMessage();
    int i = m.lastIndexOf(" (error code ");
    return i < 0 ? m : m.substring(0, i);
  }
}
