package io.glimpse.lifecycle;

/**
 * A deployment change was refused before anything was published: the version is unknown or belongs
 * to another model, the model is pinned, there is nothing to roll back to, or the artifact is not
 * in the store. The message says what and what to do.
 */
public class DeploymentRefusedException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what was refused, why, and what to do
   */
  public DeploymentRefusedException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and the cause.
   *
   * @param message what was refused, why, and what to do
   * @param cause the underlying failure
   */
  public DeploymentRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
