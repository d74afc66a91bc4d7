package io.glimpse.model.image;

/** The reference antialiased downscale: each output pixel is the area-weighted mean it covers. */
final class AreaAverage {

  private AreaAverage() {}

  /** Resizes an HWC image to CHW floats in pixel levels (0..255). */
  static float[] resize(DecodedImage image, int width, int height) {
    int channels = image.channels();
    float[] out = new float[channels * width * height];
    double scaleX = (double) image.width() / width;
    double scaleY = (double) image.height() / height;
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          out[(c * height + y) * width + x] =
              (float) mean(image, c, x * scaleX, (x + 1) * scaleX, y * scaleY, (y + 1) * scaleY);
        }
      }
    }
    return out;
  }

  private static double mean(
      DecodedImage image, int channel, double left, double right, double top, double bottom) {
    byte[] pixels = image.pixels();
    double sum = 0;
    double weights = 0;
    for (int y = (int) top; y < Math.ceil(bottom); y++) {
      double wy = Math.min(y + 1, bottom) - Math.max(y, top);
      for (int x = (int) left; x < Math.ceil(right); x++) {
        double w = wy * (Math.min(x + 1, right) - Math.max(x, left));
        sum += w * (pixels[(y * image.width() + x) * image.channels() + channel] & 0xff);
        weights += w;
      }
    }
    return sum / weights;
  }
}
