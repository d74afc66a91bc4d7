package io.glimpse.model.image;

/**
 * An 8-bit image: rows top to bottom, pixels left to right, channels interleaved (HWC). One channel
 * is gray, three are RGB, four are RGBA.
 *
 * <p>The pixel array is not copied, neither in nor out, so that a batch of images costs no extra
 * copies: whoever builds an instance hands the array over and must not change it afterwards.
 */
public final class DecodedImage {

  private final int width;
  private final int height;
  private final int channels;
  private final byte[] pixels;

  /**
   * Creates an image over the given pixels.
   *
   * @param width positive width in pixels
   * @param height positive height in pixels
   * @param channels 1 (gray), 3 (RGB) or 4 (RGBA)
   * @param pixels exactly {@code width * height * channels} bytes, HWC; not copied
   * @throws IllegalArgumentException when a dimension is out of range or the length is wrong
   */
  public DecodedImage(int width, int height, int channels, byte[] pixels) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "image width and height must be positive, got " + width + "x" + height);
    }
    if (channels != 1 && channels != 3 && channels != 4) {
      throw new IllegalArgumentException("image channels must be 1, 3 or 4, got " + channels);
    }
    long expected = (long) width * height * channels;
    if (pixels == null || pixels.length != expected) {
      throw new IllegalArgumentException(
          "a "
              + width
              + "x"
              + height
              + "x"
              + channels
              + " image needs "
              + expected
              + " pixel bytes, got "
              + (pixels == null ? "null" : pixels.length));
    }
    this.width = width;
    this.height = height;
    this.channels = channels;
    this.pixels = pixels;
  }

  /**
   * Returns the width.
   *
   * @return the width in pixels
   */
  public int width() {
    return width;
  }

  /**
   * Returns the height.
   *
   * @return the height in pixels
   */
  public int height() {
    return height;
  }

  /**
   * Returns the number of interleaved channels.
   *
   * @return 1, 3 or 4
   */
  public int channels() {
    return channels;
  }

  /**
   * Returns the pixels themselves, not a copy: do not modify them.
   *
   * @return {@code width * height * channels} bytes, HWC, unsigned
   */
  public byte[] pixels() {
    return pixels;
  }

  @Override
  public String toString() {
    return "DecodedImage{" + width + "x" + height + "x" + channels + "}";
  }
}
