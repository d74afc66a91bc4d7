package io.glimpse.model.image;

import java.util.Locale;

/**
 * The content types {@link ImageDecoder} accepts. Matching is case-insensitive, ignores parameters
 * after {@code ;}, and takes {@code image/jpg} as {@link #JPEG}.
 */
public final class ContentTypes {

  /** A JPEG (JFIF/Exif) file. */
  public static final String JPEG = "image/jpeg";

  /** A PNG file, any bit depth and colour type. */
  public static final String PNG = "image/png";

  /**
   * Raw 8-bit pixels, row-major, channels interleaved (HWC); width, height and channels (1, 3 or 4)
   * are declared next to the bytes.
   */
  public static final String RAW = "application/x-raw-pixels";

  private ContentTypes() {}

  /** The formats a content type can name. */
  enum Kind {
    JPEG,
    PNG,
    RAW
  }

  /**
   * Returns the format a content type names.
   *
   * @param contentType a MIME type, possibly with parameters; may be null
   * @return the format, or null when it is not one of the accepted types
   */
  static Kind kindOf(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return switch (type.trim().toLowerCase(Locale.ROOT)) {
      case JPEG, "image/jpg" -> Kind.JPEG;
      case PNG -> Kind.PNG;
      case RAW -> Kind.RAW;
      default -> null;
    };
  }
}
