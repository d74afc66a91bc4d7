package io.glimpse.ops.retrain;

/** A retraining round could not train, evaluate or judge its candidate; the message says why. */
public final class RetrainException extends Exception {
  private static final long serialVersionUID = 1L;

  /** With the cause that said so. */
  public RetrainException(String message, Throwable cause) {
    super(message, cause);
  }
}
