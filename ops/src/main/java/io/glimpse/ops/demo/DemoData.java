package io.glimpse.ops.demo;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.trainer.data.DataSource;
import io.glimpse.trainer.data.DatasetOptions;
import io.glimpse.trainer.data.FashionMnist;
import io.glimpse.trainer.data.SyntheticShapes;
import java.nio.file.Path;

/**
 * The demo's data: Fashion-MNIST when its files are there (Debian's {@code dataset-fashion-mnist}
 * package), otherwise Glimpse's generated shapes, so the demo runs on a machine with nothing but
 * the clone, a JDK and Maven. Nothing is downloaded either way.
 */
public final class DemoData {
  /**
   * Generated images: after the tenth held out for validation, 150 batches of 128 are one epoch of
   * the quick model, so it never sees an image twice.
   */
  static final int SYNTHETIC_IMAGES = 21_400;

  /** The size of the generated images: the smallest input MobileNetV1 takes, as the quick model. */
  static final InputShape SYNTHETIC_SHAPE = new InputShape(1, 32, 32);

  private final String name;
  private final DataSource source;

  private DemoData(String name, DataSource source) {
    this.name = name;
    this.source = source;
  }

  /**
   * Fashion-MNIST read from {@code fashionMnistDirectory} when its four files are there, generated
   * shapes when they are not.
   *
   * @param fashionMnistDirectory where to look, usually {@link FashionMnist#DEFAULT_DIRECTORY}
   * @return the demo's data
   */
  public static DemoData find(Path fashionMnistDirectory) {
    if (FashionMnist.isPresent(fashionMnistDirectory)) {
      return new DemoData(
          "fashion-mnist",
          FashionMnist.source(DatasetOptions.defaults().withDirectory(fashionMnistDirectory)));
    }
    return new DemoData(
        "synthetic",
        SyntheticShapes.source(
            DatasetOptions.defaults().withLimit(SYNTHETIC_IMAGES), SYNTHETIC_SHAPE));
  }

  /** {@code fashion-mnist} or {@code synthetic}: names the quick model trained on this data. */
  public String name() {
    return name;
  }

  /** The source the demo trains on and publishes test images from. */
  public DataSource source() {
    return source;
  }

  /** Whether these are generated shapes, used because Fashion-MNIST is not installed. */
  public boolean generated() {
    return source instanceof SyntheticShapes;
  }
}
