package io.glimpse.ops.publish;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The layout of raw-pixel files: every file of this size holds 8-bit pixels, rows top to bottom,
 * channels interleaved.
 *
 * @param width pixels per row
 * @param height rows
 * @param channels 1 (gray), 3 (RGB) or 4 (RGBA)
 */
public record RawLayout(int width, int height, int channels) {
  private static final Pattern FORMAT = Pattern.compile("(\\d{1,5})x(\\d{1,5})x([134])");

  /** Checks the values. */
  public RawLayout {
    if (width < 1 || height < 1 || !(channels == 1 || channels == 3 || channels == 4)) {
      throw new IllegalArgumentException(
          "a raw layout needs a positive width and height and 1, 3 or 4 channels, got "
              + width
              + "x"
              + height
              + "x"
              + channels);
    }
  }

  /**
   * Parses {@code <width>x<height>x<channels>}, e.g. {@code 28x28x1}.
   *
   * @throws IllegalArgumentException saying what the format is
   */
  public static RawLayout parse(String text) {
    Matcher m = FORMAT.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected <width>x<height>x<channels> with 1, 3 or 4 channels, e.g. 28x28x1, got \""
              + text
              + "\"");
    }
    return new RawLayout(
        Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
  }

  /** How many bytes a file of this layout has. */
  public long bytes() {
    return (long) width * height * channels;
  }

  @Override
  public String toString() {
    return width + "x" + height + "x" + channels;
  }
}
