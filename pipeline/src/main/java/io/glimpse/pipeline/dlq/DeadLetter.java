package io.glimpse.pipeline.dlq;

/**
 * Why one record could not be classified: the reason, and the exception that said so.
 *
 * @param reason the category, for dashboards and replays
 * @param exceptionClass the exception's class name
 * @param message what was wrong, in words
 */
public record DeadLetter(DeadLetterReason reason, String exceptionClass, String message) {

  /** A dead letter caused by an exception. */
  public static DeadLetter of(DeadLetterReason reason, Throwable cause) {
    String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    return new DeadLetter(reason, cause.getClass().getName(), message);
  }
}
