package io.glimpse.model.image;

/**
 * Bilinear sampling positions along one axis, pixel centres aligned as in PyTorch's {@code
 * interpolate(mode="bilinear", align_corners=False)}, OpenCV and PIL: output pixel {@code i}
 * samples the source at {@code (i + 0.5) * in / out - 0.5}, clamped to the edge pixels. Equal sizes
 * give the identity.
 *
 * @param low the lower source index per output pixel
 * @param high the upper source index per output pixel ({@code low} or {@code low + 1})
 * @param fraction the weight of {@code high}, in [0, 1)
 */
record ResizeAxis(int[] low, int[] high, float[] fraction) {

  static ResizeAxis of(int in, int out) {
    int[] low = new int[out];
    int[] high = new int[out];
    float[] fraction = new float[out];
    double scale = (double) in / out;
    for (int i = 0; i < out; i++) {
      double position = Math.max(0, (i + 0.5) * scale - 0.5);
      int lower = Math.min((int) position, in - 1);
      low[i] = lower;
      high[i] = Math.min(lower + 1, in - 1);
      fraction[i] = lower == in - 1 ? 0f : (float) (position - lower);
    }
    return new ResizeAxis(low, high, fraction);
  }
}
