package io.glimpse.model.image;

import io.glimpse.model.image.ImageRejectedException.Reason;
import io.glimpse.schemas.avro.ImageEvent;
import java.nio.ByteBuffer;
import javax.imageio.ImageIO;

/**
 * Decodes image bytes as they arrive on the {@code images} topic into a {@link DecodedImage}.
 *
 * <p>JPEG goes through libjpeg-turbo when {@code libturbojpeg.so.0} loads (Debian: libturbojpeg0),
 * else through {@code javax.imageio}; {@link Builder#optJpegCodec} or the system property {@value
 * JpegCodec#PROPERTY} chooses, and the choice is logged once. PNG always goes through {@code
 * javax.imageio}. Both JPEG decoders follow the same rules: the header's dimensions are checked
 * against {@link Builder#optMaxPixels(long)} before any pixel is decoded, so a small file declaring
 * a huge image is refused without allocating it; a gray image stays one channel, anything in colour
 * becomes RGB (alpha dropped, palettes expanded, 16-bit samples scaled to 8 bits). Their pixels may
 * differ by IDCT and upsampling rounding (identical on every ImageIO-written test file), with one
 * deliberate exception: like PIL, OpenCV and torchvision, the native decoder does not apply an
 * embedded ICC profile, where ImageIO converts through it to sRGB. CMYK and YCCK JPEGs, which
 * TurboJPEG cannot turn into RGB, go to ImageIO. Raw pixels ({@link ContentTypes#RAW}) are taken as
 * they are once the declared layout checks out.
 *
 * <p>A caller that resizes anyway can say how small the image may come out ({@link #decode(String,
 * byte[], Integer, Integer, Integer, int, int)}): the native decoder then decodes a much larger
 * JPEG at 1/2, 1/4 or 1/8 scale, still covering that size, averaging in the DCT domain rather than
 * decoding every pixel.
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
  private final JpegCodec jpegCodec;

  /** The loaded library when JPEG decodes natively, else null. */
  private final TurboJpeg nativeJpeg;

  private ImageDecoder(Builder builder, JpegCodec jpegCodec) {
    maxPixels = builder.maxPixels;
    this.jpegCodec = jpegCodec;
    nativeJpeg = jpegCodec == JpegCodec.NATIVE ? TurboJpeg.loaded().orElseThrow() : null;
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
   * Decodes one image at full size.
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
    return decode(contentType, data, width, height, channels, 0, 0);
  }

  /**
   * Decodes an {@code ImageEvent}'s image (its content type, bytes and raw layout) as {@link
   * #decode(String, byte[], Integer, Integer, Integer, int, int)} does.
   *
   * @param event the event
   * @param minWidth the smallest width wanted; 0 for full size
   * @param minHeight the smallest height wanted; 0 for full size
   * @return the decoded image; for raw pixels its array is a copy of the event's data
   * @throws ImageRejectedException as the other decode
   */
  public DecodedImage decode(ImageEvent event, int minWidth, int minHeight)
      throws ImageRejectedException {
    ByteBuffer data = event.getData().duplicate();
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    return decode(
        event.getContentType(),
        bytes,
        event.getWidth(),
        event.getHeight(),
        event.getChannels(),
        minWidth,
        minHeight);
  }

  /**
   * Decodes one image, possibly at a reduced scale: for a caller that resizes it to {@code
   * minWidth} × {@code minHeight} or smaller anyway. The native JPEG decoder takes the strongest
   * reduction of 1/2, 1/4 and 1/8 whose output is still at least that size in both dimensions (a
   * 4000×3000 photo for 224×224 decodes at 1/8, 500×375); ImageIO, PNG and raw pixels always come
   * at full size. The pixel limit applies to the full size.
   *
   * @param contentType one of {@link ContentTypes}; case and parameters are ignored
   * @param data the encoded image, or the raw pixels
   * @param width raw pixels only: the declared width; ignored otherwise
   * @param height raw pixels only: the declared height; ignored otherwise
   * @param channels raw pixels only: the declared channel count (1, 3 or 4); ignored otherwise
   * @param minWidth the smallest width wanted; 0 (here or in {@code minHeight}) for full size
   * @param minHeight the smallest height wanted; 0 (here or in {@code minWidth}) for full size
   * @return the decoded image; for raw pixels its array is {@code data} itself
   * @throws ImageRejectedException when the type is unsupported, the bytes do not decode, the image
   *     has more than the allowed pixels, or raw pixels do not match their declared layout
   * @throws IllegalArgumentException when {@code minWidth} or {@code minHeight} is negative
   */
  public DecodedImage decode(
      String contentType,
      byte[] data,
      Integer width,
      Integer height,
      Integer channels,
      int minWidth,
      int minHeight)
      throws ImageRejectedException {
    if (minWidth < 0 || minHeight < 0) {
      throw new IllegalArgumentException(
          "minWidth and minHeight must be 0 (full size) or more, got "
              + minWidth
              + "x"
              + minHeight);
    }
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
      case JPEG ->
          nativeJpeg != null
              ? NativeJpegReader.read(nativeJpeg, data, maxPixels, minWidth, minHeight)
              : EncodedImageReader.read(data, EncodedImageReader.Format.JPEG, maxPixels);
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

  /**
   * Returns the codec that decodes JPEG here: {@link JpegCodec#NATIVE} or {@link
   * JpegCodec#IMAGEIO}, never AUTO.
   *
   * @return the resolved JPEG codec
   */
  public JpegCodec jpegCodec() {
    return jpegCodec;
  }

  /** Builder in DJL's words: every setting is optional ({@code optX}); {@link #build()} checks. */
  public static final class Builder {
    private long maxPixels = DEFAULT_MAX_PIXELS;
    private JpegCodec jpegCodec;

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
     * Sets which decoder handles JPEG. Defaults to what the system property {@value
     * JpegCodec#PROPERTY} names, {@link JpegCodec#AUTO} when it is unset.
     *
     * @param jpegCodec AUTO, NATIVE or IMAGEIO
     * @return this builder
     */
    public Builder optJpegCodec(JpegCodec jpegCodec) {
      this.jpegCodec = jpegCodec;
      return this;
    }

    /**
     * Checks the settings and builds the decoder; the first decoder to need libturbojpeg loads it.
     *
     * @return the decoder
     * @throws IllegalArgumentException for a pixel limit below 1 or above {@link
     *     #MAX_PIXELS_LIMIT}, or a system property {@value JpegCodec#PROPERTY} naming no codec
     * @throws IllegalStateException when {@link JpegCodec#NATIVE} is asked for and libturbojpeg
     *     does not load
     */
    public ImageDecoder build() {
      if (maxPixels <= 0 || maxPixels > MAX_PIXELS_LIMIT) {
        throw new IllegalArgumentException(
            "optMaxPixels must be between 1 and " + MAX_PIXELS_LIMIT + ", got " + maxPixels);
      }
      JpegCodec requested = jpegCodec != null ? jpegCodec : JpegCodec.fromSystemProperty();
      return new ImageDecoder(this, JpegCodecChoice.resolve(requested));
    }
  }
}
