package io.glimpse.ops.bench;

import java.util.Locale;

/** What the benchmark's source images show. */
public enum ImageContent {
  /** A random gradient with a few hard-edged discs and salt noise, at the model's input size. */
  SYNTHETIC,
  /**
   * Camera-sized, photo-like pictures ({@link PhotoPictures}): smooth lighting, large soft-edged
   * shapes, fine texture and sensor noise, JPEG quality 85; 640×480 unless sized otherwise.
   */
  PHOTO;

  /** The lower-case name used on the command line and in the report. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
