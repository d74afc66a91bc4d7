package io.glimpse.model.image;

import io.glimpse.model.image.ImageRejectedException.Reason;
import java.util.Locale;

/** The refusals both JPEG decoders and the PNG decoder share, worded the same whichever decodes. */
final class Rejections {

  private Rejections() {}

  /** Refuses an image whose header declares more than {@code maxPixels} pixels. */
  static void checkSize(String contentType, int width, int height, long maxPixels)
      throws ImageRejectedException {
    if ((long) width * height > maxPixels) {
      throw new ImageRejectedException(
          Reason.TOO_LARGE,
          contentType
              + " header declares "
              + width
              + "x"
              + height
              + " pixels, over the limit of "
              + maxPixels
              + " pixels; downscale the image before sending (refused without decoding it)");
    }
  }

  static ImageRejectedException undecodable(
      String contentType, byte[] data, String detail, Throwable cause) {
    return new ImageRejectedException(
        Reason.UNDECODABLE,
        "expected a complete "
            + contentType
            + " image but "
            + data.length
            + " bytes starting with "
            + leadingBytes(data)
            + " did not decode ("
            + detail
            + "); send an intact image and check that the content type matches its format",
        cause);
  }

  private static String leadingBytes(byte[] data) {
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < Math.min(4, data.length); i++) {
      hex.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%02x", data[i] & 0xff));
    }
    return hex.toString();
  }
}
