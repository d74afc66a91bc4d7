package io.glimpse.model.image;

import io.glimpse.model.image.ImageRejectedException.Reason;

/** Checks raw pixels against their declared layout before they are taken as an image. */
final class RawPixels {

  private RawPixels() {}

  static DecodedImage wrap(
      byte[] data, Integer width, Integer height, Integer channels, long maxPixels)
      throws ImageRejectedException {
    if (width == null || height == null || channels == null) {
      throw layout(
          "needs width, height and channels, got width "
              + width
              + ", height "
              + height
              + ", channels "
              + channels
              + "; set all three on the event");
    }
    if (width <= 0 || height <= 0 || (channels != 1 && channels != 3 && channels != 4)) {
      throw layout(
          "needs a positive width and height and 1, 3 or 4 channels, got "
              + describe(width, height, channels)
              + "; fix the declared layout");
    }
    long pixels = (long) width * height;
    if (pixels > maxPixels) {
      throw new ImageRejectedException(
          Reason.TOO_LARGE,
          "raw image of "
              + width
              + "x"
              + height
              + " pixels is over the limit of "
              + maxPixels
              + " pixels; downscale it before sending");
    }
    long expected = pixels * channels;
    if (data.length != expected) {
      throw layout(
          "declared "
              + describe(width, height, channels)
              + " needs exactly "
              + expected
              + " bytes, got "
              + data.length
              + "; send 8-bit row-major interleaved pixels or fix the declared layout");
    }
    return new DecodedImage(width, height, channels, data);
  }

  private static String describe(int width, int height, int channels) {
    return width + "x" + height + "x" + channels + " (width x height x channels)";
  }

  private static ImageRejectedException layout(String detail) {
    return new ImageRejectedException(
        Reason.INVALID_RAW_LAYOUT, ContentTypes.RAW + " image " + detail);
  }
}
