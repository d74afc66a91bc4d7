package io.glimpse.model.image;

import java.util.List;

/**
 * A scaling factor TurboJPEG can decode at ({@code numerator/denominator} of each dimension),
 * applied in the DCT domain so that a reduced decode averages rather than skips pixels.
 *
 * @param numerator the factor's numerator
 * @param denominator the factor's denominator
 */
record JpegScale(int numerator, int denominator) {

  /** Full size. */
  static final JpegScale FULL = new JpegScale(1, 1);

  /**
   * Returns the strongest of the offered reductions whose output still covers {@code minWidth} ×
   * {@code minHeight}; {@link #FULL} when none does or no size is asked for (a zero).
   */
  static JpegScale strongest(
      List<JpegScale> offered, int width, int height, int minWidth, int minHeight) {
    JpegScale best = FULL;
    if (minWidth <= 0 || minHeight <= 0) {
      return best;
    }
    for (JpegScale scale : offered) {
      if (scale.isSmallerThan(best)
          && scale.apply(width) >= minWidth
          && scale.apply(height) >= minHeight) {
        best = scale;
      }
    }
    return best;
  }

  /** The scaled dimension, rounded up as TurboJPEG's {@code TJSCALED} does. */
  int apply(int dimension) {
    return (int) (((long) dimension * numerator + denominator - 1) / denominator);
  }

  private boolean isSmallerThan(JpegScale other) {
    return (long) numerator * other.denominator < (long) other.numerator * denominator;
  }

  @Override
  public String toString() {
    return numerator + "/" + denominator;
  }
}
