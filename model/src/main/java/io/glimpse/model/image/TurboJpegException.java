package io.glimpse.model.image;

/** A TurboJPEG call returned -1: its error string, and whether it was a warning or fatal. */
final class TurboJpegException extends Exception {

  private static final long serialVersionUID = 1L;

  private final boolean warning;

  TurboJpegException(String function, String message, boolean warning) {
    super(function + (warning ? " warned: " : " failed: ") + message);
    this.warning = warning;
  }

  /** True when libjpeg only warned (a truncated or corrupt stream it would have patched up). */
  boolean warning() {
    return warning;
  }
}
