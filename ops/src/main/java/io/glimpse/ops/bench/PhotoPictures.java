package io.glimpse.ops.bench;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Random;

/**
 * Photo-like pictures for {@code --content photo}: what a camera's JPEG holds, as far as a decoder
 * and an encoder can tell. A soft horizon between two colours, low-frequency lighting, a handful of
 * large shaded shapes with soft or crisp edges, some of them textured (foliage, fabric), fine
 * surface texture everywhere and per-pixel sensor noise. At 640×480 and JPEG quality 85 that is
 * 30–60 KB a picture, as a phone's photo scaled to VGA is; a picture depends on its seed only.
 */
final class PhotoPictures {
  /** The JPEG quality photos are encoded at, as ImageIO takes it. */
  static final float JPEG_QUALITY = 0.85f;

  private final int width;
  private final int height;
  private final Random random;
  private final float[][] rgb;

  private PhotoPictures(int width, int height, long seed) {
    this.width = width;
    this.height = height;
    this.random = new Random(seed);
    this.rgb = new float[3][width * height];
  }

  /** A {@code width}×{@code height} picture, 1 (gray) or 3 (RGB) channels, made from the seed. */
  static BufferedImage picture(int width, int height, int channels, long seed) {
    PhotoPictures picture = new PhotoPictures(width, height, seed);
    picture.background();
    int shapes = 4 + picture.random.nextInt(5);
    for (int i = 0; i < shapes; i++) {
      picture.shape(0.06f, 0.25f);
    }
    int details = 20 + picture.random.nextInt(40); // pebbles, leaves, windows: small crisp edges
    for (int i = 0; i < details; i++) {
      picture.shape(0.005f, 0.03f);
    }
    picture.grain();
    return picture.toImage(channels);
  }

  /** Two colours meeting at a soft horizon, tinted across, lit unevenly. */
  private void background() {
    float[] top = colour();
    float[] bottom = colour();
    float[] side = colour();
    float horizon = height * (0.3f + 0.4f * random.nextFloat());
    float softness = height * (0.05f + 0.2f * random.nextFloat());
    ValueNoise light = new ValueNoise(random, width, height, Math.max(width, height) / 5f);
    ValueNoise texture = new ValueNoise(random, width, height, 2.5f + 3 * random.nextFloat());
    float textureAmplitude = 10 + 12 * random.nextFloat();
    for (int y = 0; y < height; y++) {
      float t = smoothstep((y - horizon) / softness * 0.5f + 0.5f);
      for (int x = 0; x < width; x++) {
        float across = 0.35f * x / width;
        float shade = 1 + 0.3f * light.at(x, y);
        float grain = textureAmplitude * texture.at(x, y) * t; // the ground is textured
        int i = y * width + x;
        for (int c = 0; c < 3; c++) {
          float base = top[c] + (bottom[c] - top[c]) * t;
          rgb[c][i] = (base + (side[c] - base) * across) * shade + grain;
        }
      }
    }
  }

  /**
   * A rotated ellipse, its radius a share of the width, shaded from one side, with a soft or crisp
   * edge, maybe textured.
   */
  private void shape(float minRadius, float radiusRange) {
    float cx = width * random.nextFloat();
    float cy = height * random.nextFloat();
    float rx = width * (minRadius + radiusRange * random.nextFloat());
    float ry = rx * (0.4f + 1.2f * random.nextFloat());
    double angle = Math.PI * random.nextDouble();
    float cos = (float) Math.cos(angle);
    float sin = (float) Math.sin(angle);
    float edge = random.nextFloat() < 0.4f ? 1.5f : 4 + 30 * random.nextFloat(); // pixels
    float[] colour = colour();
    float shadeX = 0.5f * (random.nextFloat() - 0.5f);
    float shadeY = 0.5f * (random.nextFloat() - 0.5f);
    boolean textured = random.nextFloat() < 0.6f;
    ValueNoise texture =
        new ValueNoise(random, width, height, textured ? 1.5f + 4 * random.nextFloat() : 50);
    float textureAmplitude = textured ? 8 + 22 * random.nextFloat() : 4;
    float reach = Math.max(rx, ry) + edge;
    int x0 = Math.max(0, (int) (cx - reach));
    int x1 = Math.min(width, (int) (cx + reach) + 1);
    int y0 = Math.max(0, (int) (cy - reach));
    int y1 = Math.min(height, (int) (cy + reach) + 1);
    float soft = edge / Math.min(rx, ry);
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        float dx = x - cx;
        float dy = y - cy;
        float u = (dx * cos + dy * sin) / rx;
        float v = (dy * cos - dx * sin) / ry;
        float distance = (float) Math.sqrt(u * u + v * v);
        float alpha = 1 - smoothstep((distance - 1) / soft + 0.5f);
        if (alpha <= 0) {
          continue;
        }
        float shade = 1 + shadeX * u + shadeY * v;
        float grain = textureAmplitude * texture.at(x, y);
        int i = y * width + x;
        for (int c = 0; c < 3; c++) {
          rgb[c][i] += alpha * (colour[c] * shade + grain - rgb[c][i]);
        }
      }
    }
  }

  /** Sensor noise: mostly in brightness, a little in colour. */
  private void grain() {
    long state = random.nextLong() | 1;
    for (int i = 0; i < rgb[0].length; i++) {
      state = xorshift(state);
      float luma = 5.5f * triangular(state);
      state = xorshift(state);
      float chroma = 1.5f * triangular(state);
      rgb[0][i] += luma + chroma;
      rgb[1][i] += luma;
      rgb[2][i] += luma - chroma;
    }
  }

  private BufferedImage toImage(int channels) {
    int type = channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR;
    BufferedImage image = new BufferedImage(width, height, type);
    byte[] out = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < rgb[0].length; i++) {
      if (channels == 1) {
        out[i] = clamp(0.299f * rgb[0][i] + 0.587f * rgb[1][i] + 0.114f * rgb[2][i]);
      } else {
        out[3 * i] = clamp(rgb[2][i]);
        out[3 * i + 1] = clamp(rgb[1][i]);
        out[3 * i + 2] = clamp(rgb[0][i]);
      }
    }
    return image;
  }

  /** A colour as a photo has them: rarely saturated, rarely black or white. */
  private float[] colour() {
    float gray = 40 + 170 * random.nextFloat();
    float saturation = 0.6f * random.nextFloat();
    float[] colour = new float[3];
    for (int c = 0; c < 3; c++) {
      colour[c] = gray * (1 + saturation * (2 * random.nextFloat() - 1));
    }
    return colour;
  }

  private static float smoothstep(float t) {
    float clamped = Math.max(0, Math.min(1, t));
    return clamped * clamped * (3 - 2 * clamped);
  }

  private static long xorshift(long x) {
    x ^= x << 13;
    x ^= x >>> 7;
    return x ^ (x << 17);
  }

  /** In (-1, 1), peaked at 0: the sum of two uniforms from the state's two halves. */
  private static float triangular(long state) {
    float a = (state >>> 40) / (float) (1 << 24);
    float b = ((state >>> 16) & 0xffffff) / (float) (1 << 24);
    return a + b - 1;
  }

  private static byte clamp(float value) {
    return (byte) Math.max(0, Math.min(255, Math.round(value)));
  }

  /** Smoothly interpolated random values in [-1, 1] on a grid of {@code cell}-pixel cells. */
  private static final class ValueNoise {
    private final float[] grid;
    private final int columns;
    private final float scale;

    ValueNoise(Random random, int width, int height, float cell) {
      this.scale = 1 / cell;
      this.columns = (int) (width * scale) + 2;
      int rows = (int) (height * scale) + 2;
      this.grid = new float[columns * rows];
      for (int i = 0; i < grid.length; i++) {
        grid[i] = 2 * random.nextFloat() - 1;
      }
    }

    float at(int x, int y) {
      float gx = x * scale;
      float gy = y * scale;
      int ix = (int) gx;
      int iy = (int) gy;
      float fx = fade(gx - ix);
      float fy = fade(gy - iy);
      int i = iy * columns + ix;
      float top = grid[i] + (grid[i + 1] - grid[i]) * fx;
      float bottom = grid[i + columns] + (grid[i + columns + 1] - grid[i + columns]) * fx;
      return top + (bottom - top) * fy;
    }

    private static float fade(float t) {
      return t * t * (3 - 2 * t);
    }
  }
}
