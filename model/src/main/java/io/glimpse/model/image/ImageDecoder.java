package io.glimpse.model.image;

import io.glimpse.model.image.ImageRejectedException.Reason;
import javax.imageio.ImageIO;

/**
 * Decodes image bytes as they arrive on the {@code images} topic into a {@link DecodedImage}.
 *
 * <p>JPEG and PNG go through {@code javax.imageio}: the header's dimensions are checked against
 * {@link Builder#optMaxPixels(long)} before any pixel is decoded, so a small file declaring a huge
 * image is refused without allocating it. A gray image stays one channel, anything in colour
 * becomes RGB (alpha dropped, palettes expanded, 16-bit samples scaled to 8 bits). Raw pixels
 * ({@link ContentTypes#RAW}) are taken as they are once the declared layout checks out.
 *
 * <p>Nothing but {@link ImageRejectedException} comes out of {@link #decode}: every decoder failure
 * is caught and typed. A JPEG that the decoder can only read with warnings (for example truncated
 * ones, which it would silently fill with gray) is refused too. Instances are immutable and
 * thread-safe.
 *
 * <pre>{@code
 * ImageDecoder decoder = ImageDecoder.builder().build();
 * DecodedImage image = decoder.decode(event.getContentType(), bytes, null, null, null);
 * }</pre>
 */
public final class ImageDecoder {

  /** Default pixel limit: 40 megapixels, more than any camera image a classifier needs. */
  public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

  /** The largest pixel limit that can be set: four channels of it still fit in one Java array. */
  public static final long MAX_PIXELS_LIMIT = Integer.MAX_VALUE / 4;

  static {
    // ImageIO would otherwise buffer every stream in a temporary file; everything is in memory.
    ImageIO.setUseCache(false);
  }

  private final long maxPixels;

  private ImageDecoder(Builder builder) {
    maxPixels = builder.maxPixels;
  }

  /**
   * Returns a builder with the default pixel limit.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Decodes one image.
   *
   * @param contentType one of {@link ContentTypes}; case and parameters are ignored
   * @param data the encoded image, or the raw pixels
   * @param width raw pixels only: the declared width; ignored otherwise
   * @param height raw pixels only: the declared height; ignored otherwise
   * @param channels raw pixels only: the declared channel count (1, 3 or 4); ignored otherwise
   * @return the decoded image; for raw pixels its array is {@code data} itself
   * @throws ImageRejectedException when the type is unsupported, the bytes do not decode, the image
   *     has more than the allowed pixels, or raw pixels do not match their declared layout
   */
  public DecodedImage decode(
      String contentType, byte[] data, Integer width, Integer height, Integer channels)
      throws ImageRejectedException {
    ContentTypes.Kind kind = ContentTypes.kindOf(contentType);
    if (kind == null) {
      throw new ImageRejectedException(
          Reason.UNSUPPORTED_CONTENT_TYPE,
          "content type \""
              + contentType
              + "\" is not supported; send "
              + ContentTypes.JPEG
              + ", "
              + ContentTypes.PNG
              + " or "
              + ContentTypes.RAW
              + " (with width, height and channels)");
    }
    if (data == null || data.length == 0) {
      throw new ImageRejectedException(
          kind == ContentTypes.Kind.RAW ? Reason.INVALID_RAW_LAYOUT : Reason.UNDECODABLE,
          "the " + contentType + " image has no bytes; send the image itself");
    }
    return switch (kind) {
      case JPEG -> EncodedImageReader.read(data, EncodedImageReader.Format.JPEG, maxPixels);
      case PNG -> EncodedImageReader.read(data, EncodedImageReader.Format.PNG, maxPixels);
      case RAW -> RawPixels.wrap(data, width, height, channels, maxPixels);
    };
  }

  /**
   * Returns the largest number of pixels (width × height) accepted.
   *
   * @return the pixel limit
   */
  public long maxPixels() {
    return maxPixels;
  }

  /** Builder in DJL's words: every setting is optional ({@code optX}); {@link #build()} checks. */
  public static final class Builder {
    private long maxPixels = DEFAULT_MAX_PIXELS;

    private Builder() {}

    /**
     * Sets the largest number of pixels (width × height) accepted, checked on the header before
     * decoding. Defaults to {@link #DEFAULT_MAX_PIXELS}.
     *
     * @param maxPixels a pixel count from 1 to {@link #MAX_PIXELS_LIMIT}
     * @return this builder
     */
    public Builder optMaxPixels(long maxPixels) {
      this.maxPixels = maxPixels;
      return this;
    }

    /**
     * Checks the settings and builds the decoder.
     *
     * @return the decoder
     * @throws IllegalArgumentException for a pixel limit below 1 or above {@link #MAX_PIXELS_LIMIT}
     */
    public ImageDecoder build() {
      if (maxPixels <= 0 || maxPixels > MAX_PIXELS_LIMIT) {
        throw new IllegalArgumentException(
            "optMaxPixels must be between 1 and " + MAX_PIXELS_LIMIT + ", got " + maxPixels);
      }
      return new ImageDecoder(this);
    }
  }
}
