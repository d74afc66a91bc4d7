package io.glimpse.trainer.data;

import java.util.Random;

/**
 * Paints one image of a {@link SyntheticShapes} class: a foreground pattern over a background of
 * another colour, both drawn with a contrast of at least 80 gray levels, plus uniform noise.
 */
final class ShapePainter {

  private final int width;
  private final int height;
  private final int channels;

  ShapePainter(int width, int height, int channels) {
    this.width = width;
    this.height = height;
    this.channels = channels;
  }

  /** The geometry of one drawing, chosen at random. */
  private record Layout(double cx, double cy, double radius, double period, double phase) {}

  void paint(int label, Random random, byte[] dest, int offset) {
    int[] background = color(random);
    int[] foreground = contrasting(random, background);
    int side = Math.min(width, height);
    Layout layout =
        new Layout(
            width / 2.0 + (random.nextDouble() - 0.5) * side / 3,
            height / 2.0 + (random.nextDouble() - 0.5) * side / 3,
            side * (0.2 + random.nextDouble() * 0.15),
            3 + random.nextInt(4),
            random.nextDouble() * 8);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int[] rgb = inside(label, layout, x + 0.5, y + 0.5) ? foreground : background;
        int noise = random.nextInt(25) - 12;
        write(dest, offset + (y * width + x) * channels, rgb, noise);
      }
    }
  }

  private static boolean inside(int label, Layout l, double x, double y) {
    double dx = x - l.cx();
    double dy = y - l.cy();
    double r = l.radius();
    return switch (label) {
      case 0 -> dx * dx + dy * dy <= r * r;
      case 1 -> Math.abs(dx) <= r * 0.85 && Math.abs(dy) <= r * 0.85;
      case 2 -> dy <= r * 0.8 && dy >= -r && Math.abs(dx) <= (dy + r) * 0.6;
      case 3 ->
          (Math.abs(dx) <= r && Math.abs(dy) <= r * 0.3)
              || (Math.abs(dy) <= r && Math.abs(dx) <= r * 0.3);
      case 4 -> Math.abs(Math.hypot(dx, dy) - r * 0.8) <= r * 0.22;
      case 5 -> stripe(y + l.phase(), l.period());
      case 6 -> stripe(x + l.phase(), l.period());
      case 7 -> stripe((x + y) / Math.sqrt(2) + l.phase(), l.period());
      case 8 -> stripe(x + l.phase(), l.period()) ^ stripe(y + l.phase(), l.period());
      case 9 -> dot(x + l.phase(), y + l.phase(), l.period() + 2);
      default -> throw new IllegalArgumentException("no class " + label);
    };
  }

  private static boolean stripe(double t, double period) {
    return Math.floorMod((long) Math.floor(t / period), 2L) == 0;
  }

  private static boolean dot(double x, double y, double period) {
    double fx = x - period * Math.floor(x / period) - period / 2;
    double fy = y - period * Math.floor(y / period) - period / 2;
    return fx * fx + fy * fy <= period * period / 9;
  }

  private static int[] color(Random random) {
    return new int[] {random.nextInt(256), random.nextInt(256), random.nextInt(256)};
  }

  private static int[] contrasting(Random random, int[] background) {
    int[] color = color(random);
    while (Math.abs(gray(color) - gray(background)) < 80) {
      color = color(random);
    }
    return color;
  }

  private static double gray(int[] rgb) {
    return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
  }

  private void write(byte[] dest, int at, int[] rgb, int noise) {
    if (channels == 1) {
      dest[at] = clamp(gray(rgb) + noise);
      return;
    }
    for (int c = 0; c < 3; c++) {
      dest[at + c] = clamp(rgb[c] + noise);
    }
  }

  private static byte clamp(double value) {
    return (byte) Math.max(0, Math.min(255, (int) Math.round(value)));
  }
}
