package io.glimpse.trainer.data;

import ai.djl.ndarray.types.Shape;
import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.Normalization;
import io.glimpse.model.image.ImagePreprocessor;
import java.util.Random;

/**
 * Writes images of a data set into one float array, NCHW, normalized as {@code (pixel / 255 - mean)
 * / std} per channel (the layout and values {@link io.glimpse.model.image.ImagePreprocessor} gives
 * the pipeline), optionally shifted, flipped and partly erased by an {@link Augmentation}. Not
 * thread-safe: it reuses one pixel buffer.
 */
final class BatchAssembler {

  private static final double ERASE_MIN_AREA = 0.02;
  private static final double ERASE_MAX_AREA = 0.4;
  private static final double LOG_MIN_RATIO = Math.log(0.3);

  private final ImageDataset data;
  private final Augmentation augmentation;
  private final float[][] lookup;
  private final byte[] pixels;
  private final InputShape shape;
  private final ImagePreprocessor serving;

  BatchAssembler(ImageDataset data, Normalization normalization, Augmentation augmentation) {
    this(data, normalization, augmentation, null);
  }

  private BatchAssembler(
      ImageDataset data, Normalization normalization, Augmentation augmentation, InputShape input) {
    int channels = input == null ? data.channels() : input.channels();
    if (normalization.channels() != channels) {
      throw new IllegalArgumentException(
          "normalization has "
              + normalization.channels()
              + " channel(s), the images have "
              + channels);
    }
    this.data = data;
    this.augmentation = augmentation;
    this.pixels = new byte[data.imageBytes()];
    this.shape =
        input == null ? new InputShape(data.channels(), data.height(), data.width()) : input;
    this.serving = input == null ? null : ImagePreprocessor.of(input, normalization);
    this.lookup = new float[data.channels()][256];
    for (int c = 0; c < lookup.length; c++) {
      for (int v = 0; v < 256; v++) {
        lookup[c][v] = (v / 255f - normalization.mean().get(c)) / normalization.std().get(c);
      }
    }
  }

  /**
   * An assembler for evaluation that writes every image as the pipeline would serve it.
   *
   * @param data images of any size
   * @param input the network's input: what each image is resized and converted to
   * @param normalization the model's
   */
  static BatchAssembler serving(ImageDataset data, InputShape input, Normalization normalization) {
    return new BatchAssembler(data, normalization, Augmentation.NONE, input);
  }

  int imageFloats() {
    return shape.channels() * shape.height() * shape.width();
  }

  int label(int index) {
    return data.label(index);
  }

  Shape batchShape(int count) {
    return new Shape(count, shape.channels(), shape.height(), shape.width());
  }

  /**
   * Writes images {@code indices[from .. from + count - 1]} into {@code dest} from index 0.
   *
   * @param random the augmentation's randomness; unused without augmentation
   */
  void write(int[] indices, int from, int count, Random random, float[] dest) {
    if (serving != null) {
      for (int i = 0; i < count; i++) {
        serving.writeTensor(data.image(indices[from + i]), dest, i * imageFloats());
      }
      return;
    }
    for (int i = 0; i < count; i++) {
      int pad = augmentation.cropPadding();
      int dy = pad == 0 ? 0 : random.nextInt(2 * pad + 1) - pad;
      int dx = pad == 0 ? 0 : random.nextInt(2 * pad + 1) - pad;
      boolean flip = augmentation.horizontalFlip() && random.nextBoolean();
      writeOne(indices[from + i], dy, dx, flip, dest, i * imageFloats());
      // Drawn only when erasing is on, so runs without it see the same random sequence as before.
      if (augmentation.erasing() > 0 && random.nextFloat() < augmentation.erasing()) {
        erase(random, dest, i * imageFloats());
      }
    }
  }

  /**
   * Random erasing as torchvision's {@code RandomErasing} draws it: up to ten tries for a rectangle
   * of 2-40 % of the area with a log-uniform aspect ratio in [0.3, 1/0.3] that fits; its pixels get
   * uniform random 8-bit values, normalized like the image's own.
   */
  private void erase(Random random, float[] dest, int offset) {
    int h = data.height();
    int w = data.width();
    for (int attempt = 0; attempt < 10; attempt++) {
      double area =
          h * w * (ERASE_MIN_AREA + random.nextDouble() * (ERASE_MAX_AREA - ERASE_MIN_AREA));
      double ratio = Math.exp(LOG_MIN_RATIO + random.nextDouble() * (-2 * LOG_MIN_RATIO));
      int eh = (int) Math.round(Math.sqrt(area * ratio));
      int ew = (int) Math.round(Math.sqrt(area / ratio));
      if (eh >= 1 && ew >= 1 && eh < h && ew < w) {
        int top = random.nextInt(h - eh + 1);
        int left = random.nextInt(w - ew + 1);
        for (int c = 0; c < data.channels(); c++) {
          float[] values = lookup[c];
          int plane = offset + c * h * w;
          for (int y = top; y < top + eh; y++) {
            for (int x = left; x < left + ew; x++) {
              dest[plane + y * w + x] = values[random.nextInt(256)];
            }
          }
        }
        return;
      }
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
