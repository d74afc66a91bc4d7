package io.glimpse.model.inference;

/**
 * A batch could not be classified: the engine failed on it or returned scores of the wrong shape.
 * The message says which model and batch and what to do; the engine's failure is kept as the cause.
 */
public class InferenceException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with the engine failure that caused it.
   *
   * @param message what failed and what to do
   * @param cause the engine's failure, or null when the engine returned a wrong result
   */
  public InferenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
