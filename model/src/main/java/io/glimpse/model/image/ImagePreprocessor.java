package io.glimpse.model.image;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.model.artifact.Normalization;
import java.util.Objects;

/**
 * Turns a {@link DecodedImage} into the model's input: one C×H×W float image written into a batch
 * array. In one pass over the output it resizes bilinearly to the model's height and width (pixel
 * centres aligned, no antialiasing), converts channels (gray to RGB by replication, RGB to gray by
 * luminance {@code 0.299 R + 0.587 G + 0.114 B}, alpha ignored) and normalizes each channel as
 * {@code (pixel / 255 - mean[c]) / std[c]}.
 *
 * <p>Pure Java on the byte array, no AWT. Instances are immutable and thread-safe.
 */
public final class ImagePreprocessor {

  private final InputShape shape;
  private final float[] scale;
  private final float[] offset;

  private ImagePreprocessor(InputShape shape, Normalization normalization) {
    if (normalization.channels() != shape.channels()) {
      throw new IllegalArgumentException(
          "normalization has "
              + normalization.channels()
              + " channel(s) but the input shape "
              + shape
              + " has "
              + shape.channels()
              + "; give one mean and std per input channel");
    }
    this.shape = shape;
    scale = new float[shape.channels()];
    offset = new float[shape.channels()];
    for (int c = 0; c < scale.length; c++) {
      float std = normalization.std().get(c);
      scale[c] = 1f / (255f * std);
      offset[c] = -normalization.mean().get(c) / std;
    }
  }

  /**
   * Returns a preprocessor for the input shape and normalization a manifest describes.
   *
   * @param manifest the model's manifest
   * @return the preprocessor
   */
  public static ImagePreprocessor of(ModelManifest manifest) {
    return new ImagePreprocessor(manifest.getInputShape(), manifest.getNormalization());
  }

  /**
   * Returns a preprocessor for an input shape and its normalization.
   *
   * @param shape channels, height and width of the model's input
   * @param normalization one mean and std per input channel
   * @return the preprocessor
   * @throws IllegalArgumentException when the channel counts differ
   */
  public static ImagePreprocessor of(InputShape shape, Normalization normalization) {
    return new ImagePreprocessor(shape, normalization);
  }

  /**
   * Returns the model input shape this preprocessor writes.
   *
   * @return channels, height and width
   */
  public InputShape inputShape() {
    return shape;
  }

  /**
   * Returns how many floats one image takes: channels × height × width.
   *
   * @return the size of one image's tensor
   */
  public int tensorSize() {
    return shape.channels() * shape.height() * shape.width();
  }

  /**
   * Writes one preprocessed image, channel-major (CHW), into {@code dest} starting at {@code
   * offset}; image {@code i} of a batch goes at {@code i * tensorSize()}.
   *
   * @param image the decoded image, any size, 1, 3 or 4 channels
   * @param dest the batch array
   * @param offset where this image's {@link #tensorSize()} floats start
   * @throws IndexOutOfBoundsException when the floats do not fit in {@code dest} at {@code offset}
   */
  public void writeTensor(DecodedImage image, float[] dest, int offset) {
    Objects.checkFromIndexSize(offset, tensorSize(), dest.length);
    ResizeAxis rows = ResizeAxis.of(image.height(), shape.height());
    ResizeAxis columns = ResizeAxis.of(image.width(), shape.width());
    int plane = shape.height() * shape.width();
    for (int y = 0; y < shape.height(); y++) {
      int out = offset + y * shape.width();
      for (int x = 0; x < shape.width(); x++, out++) {
        for (int c = 0; c < scale.length; c++) {
          float value = sample(image, rows, columns, y, x, c);
          dest[out + c * plane] = value * scale[c] + this.offset[c];
        }
      }
    }
  }

  /** The 0..255 value of output channel {@code c} at output pixel (y, x), before normalization. */
  private float sample(
      DecodedImage image, ResizeAxis rows, ResizeAxis columns, int y, int x, int c) {
    if (image.channels() == 1) {
      return bilinear(image, rows, columns, y, x, 0);
    }
    if (scale.length == 3) {
      return bilinear(image, rows, columns, y, x, c);
    }
    return 0.299f * bilinear(image, rows, columns, y, x, 0)
        + 0.587f * bilinear(image, rows, columns, y, x, 1)
        + 0.114f * bilinear(image, rows, columns, y, x, 2);
  }

  private static float bilinear(
      DecodedImage image, ResizeAxis rows, ResizeAxis columns, int y, int x, int channel) {
    byte[] p = image.pixels();
    int stride = image.width() * image.channels();
    int top = rows.low()[y] * stride + channel;
    int bottom = rows.high()[y] * stride + channel;
    int left = columns.low()[x] * image.channels();
    int right = columns.high()[x] * image.channels();
    float fx = columns.fraction()[x];
    float upper = lerp(p[top + left] & 0xff, p[top + right] & 0xff, fx);
    float lower = lerp(p[bottom + left] & 0xff, p[bottom + right] & 0xff, fx);
    return lerp(upper, lower, rows.fraction()[y]);
  }

  private static float lerp(float a, float b, float t) {
    return a + (b - a) * t;
  }
}
