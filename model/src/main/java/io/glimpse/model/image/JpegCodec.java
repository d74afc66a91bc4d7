package io.glimpse.model.image;

import java.util.Locale;

/**
 * Which decoder turns JPEG bytes into pixels ({@link ImageDecoder.Builder#optJpegCodec}). PNG
 * always goes through {@code javax.imageio}.
 *
 * <p>The default comes from the system property {@value #PROPERTY} ({@code auto}, {@code native} or
 * {@code imageio}; {@code auto} when unset), so an operator can force the fallback without a code
 * change.
 */
public enum JpegCodec {
  /** libjpeg-turbo when {@code libturbojpeg.so.0} loads (Debian: libturbojpeg0), else ImageIO. */
  AUTO,
  /** libjpeg-turbo's TurboJPEG API through JNA; building a decoder fails if it does not load. */
  NATIVE,
  /** {@code javax.imageio}, the pure-JDK decoder: slower, needs nothing installed. */
  IMAGEIO;

  /**
   * The system property that picks the default codec: {@code auto}, {@code native} or {@code
   * imageio}.
   */
  public static final String PROPERTY = "glimpse.image.decoder";

  /**
   * Returns the codec the system property {@value #PROPERTY} names, {@link #AUTO} when it is unset.
   *
   * @return the default codec
   * @throws IllegalArgumentException when the property names none of the codecs
   */
  public static JpegCodec fromSystemProperty() {
    String value = System.getProperty(PROPERTY, "").trim();
    if (value.isEmpty()) {
      return AUTO;
    }
    for (JpegCodec codec : values()) {
      if (codec.name().equals(value.toUpperCase(Locale.ROOT))) {
        return codec;
      }
    }
    throw new IllegalArgumentException(
        PROPERTY + " must be auto, native or imageio, got \"" + value + "\"");
  }
}
