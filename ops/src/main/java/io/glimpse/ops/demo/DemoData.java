package io.glimpse.ops.demo;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.trainer.data.DataSource;
import io.glimpse.trainer.data.DatasetOptions;
import io.glimpse.trainer.data.FashionMnist;
import io.glimpse.trainer.data.SyntheticShapes;
import java.nio.file.Files;

/**
 * The demo's data: Fashion-MNIST from Debian's {@code dataset-fashion-mnist} package when it is
 * installed, otherwise Glimpse's built-in synthetic shapes (no download either way).
 */
public final class DemoData {
  private DemoData() {}

  /** The data source the demo trains on and publishes from. */
  public static DataSource source() {
    if (Files.isDirectory(FashionMnist.DEFAULT_DIRECTORY)) {
      return FashionMnist.source(DatasetOptions.defaults());
    }
    return SyntheticShapes.source(DatasetOptions.defaults(), new InputShape(1, 28, 28));
  }
}
