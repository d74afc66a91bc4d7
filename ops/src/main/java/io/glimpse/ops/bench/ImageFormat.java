package io.glimpse.ops.bench;

import io.glimpse.model.image.ContentTypes;
import java.util.Locale;

/** How the benchmark's source images are encoded on the {@code images} topic. */
public enum ImageFormat {
  JPEG(ContentTypes.JPEG),
  PNG(ContentTypes.PNG),
  RAW(ContentTypes.RAW);

  private final String contentType;

  ImageFormat(String contentType) {
    this.contentType = contentType;
  }

  /** The content type an ImageEvent of this format declares. */
  public String contentType() {
    return contentType;
  }

  /** The lower-case name used on the command line and in the report. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
