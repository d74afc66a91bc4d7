package io.glimpse.trainer.data;

import io.glimpse.model.artifact.InputShape;
import java.util.List;
import java.util.Random;

/**
 * A procedurally generated 10-class image set: five shapes and five textures in random colours,
 * positions and sizes, with pixel noise. It needs no files and no download, so the demo and the
 * tests can train anywhere, and a small MobileNet learns it within a few epochs. The same seed
 * always draws the same images; training, validation and test images come from disjoint parts of
 * the seed's stream.
 */
public final class SyntheticShapes implements DataSource {

  /** The class names, in label order. */
  public static final List<String> CLASSES =
      List.of(
          "circle",
          "square",
          "triangle",
          "cross",
          "ring",
          "horizontal-stripes",
          "vertical-stripes",
          "diagonal-stripes",
          "checkerboard",
          "dots");

  /** Images generated when no limit is given: training and validation together. */
  public static final int DEFAULT_SIZE = 6000;

  private final DatasetOptions options;
  private final InputShape shape;

  private SyntheticShapes(DatasetOptions options, InputShape shape) {
    this.options = options;
    this.shape = shape;
  }

  /**
   * Returns the source; images are drawn on {@link #load()}.
   *
   * @param options limit (training + validation images, default {@link #DEFAULT_SIZE}; the test set
   *     has a sixth of that), validation split and seed; the directory is ignored
   * @param shape channels and size of the images
   * @return the source
   */
  public static SyntheticShapes source(DatasetOptions options, InputShape shape) {
    return new SyntheticShapes(options, shape);
  }

  @Override
  public DataSplits load() {
    int size = options.limit() > 0 ? options.limit() : DEFAULT_SIZE;
    InMemoryImageDataset all = generate(0, size);
    InMemoryImageDataset test = generate(size, Math.max(CLASSES.size(), size / 6));
    InMemoryImageDataset[] parts =
        StratifiedSplit.split(all, options.validationFraction(), options.seed());
    return new DataSplits(parts[0], parts[1], test);
  }

  @Override
  public String describe() {
    return "synthetic shapes (seed " + options.seed() + ")";
  }

  /** Draws images {@code first} to {@code first + count - 1} of the seed's stream. */
  InMemoryImageDataset generate(int first, int count) {
    int bytes = shape.channels() * shape.height() * shape.width();
    byte[] pixels = new byte[Math.multiplyExact(count, bytes)];
    int[] labels = new int[count];
    ShapePainter painter = new ShapePainter(shape.width(), shape.height(), shape.channels());
    for (int i = 0; i < count; i++) {
      int index = first + i;
      Random random = new Random(options.seed() * 1_000_003L + index);
      labels[i] = index % CLASSES.size();
      painter.paint(labels[i], random, pixels, i * bytes);
    }
    return new InMemoryImageDataset(
        CLASSES, shape.channels(), shape.height(), shape.width(), pixels, labels);
  }
}
