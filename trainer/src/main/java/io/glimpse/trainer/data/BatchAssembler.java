package io.glimpse.trainer.data;

import ai.djl.ndarray.types.Shape;
import io.glimpse.model.artifact.Normalization;
import java.util.Random;

/**
 * Writes images of a data set into one float array, NCHW, normalized as {@code (pixel / 255 - mean)
 * / std} per channel (the layout and values {@link io.glimpse.model.image.ImagePreprocessor} gives
 * the pipeline), optionally shifted and flipped by an {@link Augmentation}. Not thread-safe: it
 * reuses one pixel buffer.
 */
final class BatchAssembler {

  private final ImageDataset data;
  private final Augmentation augmentation;
  private final float[][] lookup;
  private final byte[] pixels;

  BatchAssembler(ImageDataset data, Normalization normalization, Augmentation augmentation) {
    if (normalization.channels() != data.channels()) {
      throw new IllegalArgumentException(
          "normalization has "
              + normalization.channels()
              + " channel(s), the images have "
              + data.channels());
    }
    this.data = data;
    this.augmentation = augmentation;
    this.pixels = new byte[data.imageBytes()];
    this.lookup = new float[data.channels()][256];
    for (int c = 0; c < lookup.length; c++) {
      for (int v = 0; v < 256; v++) {
        lookup[c][v] = (v / 255f - normalization.mean().get(c)) / normalization.std().get(c);
      }
    }
  }

  int imageFloats() {
    return data.imageBytes();
  }

  int label(int index) {
    return data.label(index);
  }

  Shape batchShape(int count) {
    return new Shape(count, data.channels(), data.height(), data.width());
  }

  /**
   * Writes images {@code indices[from .. from + count - 1]} into {@code dest} from index 0.
   *
   * @param random the augmentation's randomness; unused without augmentation
   */
  void write(int[] indices, int from, int count, Random random, float[] dest) {
    for (int i = 0; i < count; i++) {
      int pad = augmentation.cropPadding();
      int dy = pad == 0 ? 0 : random.nextInt(2 * pad + 1) - pad;
      int dx = pad == 0 ? 0 : random.nextInt(2 * pad + 1) - pad;
      boolean flip = augmentation.horizontalFlip() && random.nextBoolean();
      writeOne(indices[from + i], dy, dx, flip, dest, i * imageFloats());
    }
  }

  private void writeOne(int index, int dy, int dx, boolean flip, float[] dest, int offset) {
    data.copyPixels(index, pixels, 0);
    int h = data.height();
    int w = data.width();
    int channels = data.channels();
    for (int c = 0; c < channels; c++) {
      float[] values = lookup[c];
      int plane = offset + c * h * w;
      for (int y = 0; y < h; y++) {
        int sy = y + dy;
        for (int x = 0; x < w; x++) {
          int sx = (flip ? w - 1 - x : x) + dx;
          boolean inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
          int v = inside ? pixels[(sy * w + sx) * channels + c] & 0xff : 0;
          dest[plane + y * w + x] = values[v];
        }
      }
    }
  }
}
