package io.glimpse.model.image;

import io.glimpse.model.image.EncodedImageReader.Format;

/**
 * Decodes JPEG with libjpeg-turbo under the same rules as {@link EncodedImageReader}: the pixel
 * limit is checked on the header before any pixel buffer exists, any warning refuses the image
 * (TurboJPEG stops at the first one), gray stays one channel and colour becomes RGB.
 *
 * <p>Two kinds of files go to ImageIO instead, so that nothing ImageIO decoded before is refused
 * now: CMYK and YCCK JPEGs (TurboJPEG cannot convert them to RGB; ImageIO does), and files whose
 * header TurboJPEG will not read (garbage, which ImageIO refuses with its usual message, or rare
 * chroma subsamplings TurboJPEG cannot name).
 */
final class NativeJpegReader {

  private static final int FLAGS =
      TurboJpegNatives.TJFLAG_STOPONWARNING | TurboJpegNatives.TJFLAG_LIMITSCANS;

  private NativeJpegReader() {}

  /**
   * Decodes one JPEG; when {@code minWidth} × {@code minHeight} is much smaller than the image, at
   * the strongest of {@link TurboJpeg#reductions()} that still covers it.
   */
  static DecodedImage read(
      TurboJpeg library, byte[] data, long maxPixels, int minWidth, int minHeight)
      throws ImageRejectedException {
    TurboJpegDecompressor decompressor = TurboJpegDecompressor.forThisThread();
    TurboJpegDecompressor.Header header;
    try {
      header = decompressor.readHeader(data);
    } catch (TurboJpegException e) {
      return EncodedImageReader.read(data, Format.JPEG, maxPixels);
    }
    Rejections.checkSize(ContentTypes.JPEG, header.width(), header.height(), maxPixels);
    if (header.isCmykOrYcck()) {
      return EncodedImageReader.read(data, Format.JPEG, maxPixels);
    }
    JpegScale scale =
        JpegScale.strongest(
            library.reductions(), header.width(), header.height(), minWidth, minHeight);
    int width = scale.apply(header.width());
    int height = scale.apply(header.height());
    int channels = header.isGray() ? 1 : 3;
    // Fits an int: width × height is at most the pixel limit, a quarter of the largest array.
    byte[] pixels = new byte[width * height * channels];
    int format = channels == 1 ? TurboJpegNatives.TJPF_GRAY : TurboJpegNatives.TJPF_RGB;
    try {
      decompressor.decompress(data, pixels, width, height, format, FLAGS);
    } catch (TurboJpegException e) {
      throw Rejections.undecodable(ContentTypes.JPEG, data, "libjpeg-turbo: " + e.getMessage(), e);
    }
    return new DecodedImage(width, height, channels, pixels);
  }
}
