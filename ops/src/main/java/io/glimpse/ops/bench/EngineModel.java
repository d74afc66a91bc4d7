package io.glimpse.ops.bench;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One network {@code bench engine} measures: MobileNetV1 at width α on square images.
 *
 * @param width the width multiplier α
 * @param channels input channels, 1 or 3
 * @param size input height and width
 * @param classes output classes
 */
record EngineModel(float width, int channels, int size, int classes) {
  private static final Pattern SPEC = Pattern.compile("([0-9.]+):([13])x(\\d+)x(\\d+)");

  EngineModel {
    if (!(width > 0f && width <= 1f) || size < 32 || classes < 1) {
      throw new IllegalArgumentException(
          "a model needs 0 < α <= 1, input size >= 32 and classes >= 1, got α "
              + width
              + ", size "
              + size
              + ", "
              + classes
              + " classes");
    }
  }

  /**
   * Parses {@code α:CxHxW}, e.g. {@code 0.25:3x64x64}; height and width must be equal.
   *
   * @throws IllegalArgumentException saying what was expected
   */
  static EngineModel parse(String spec, int classes) {
    Matcher m = SPEC.matcher(spec.trim());
    if (!m.matches() || !m.group(3).equals(m.group(4))) {
      throw new IllegalArgumentException(
          "a model is α:CxSxS with C = 1 or 3, e.g. 0.25:3x64x64, got \"" + spec + "\"");
    }
    return new EngineModel(
        Float.parseFloat(m.group(1)),
        Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3)),
        classes);
  }

  /** As {@code bench pipeline} names its model: {@code mobilenet_v1 alpha=0.25 3x64x64}. */
  String name() {
    return String.format(
        Locale.ROOT, "mobilenet_v1 alpha=%s %dx%dx%d", width, channels, size, size);
  }
}
