package io.glimpse.ops.demo;

/** The demo could not register or deploy one of its model versions; the cause says why. */
public final class DemoLifecycleException extends Exception {
  private static final long serialVersionUID = 1L;

  /** An exception saying what could not be done, with its cause. */
  public DemoLifecycleException(String message, Throwable cause) {
    super(message, cause);
  }
}
