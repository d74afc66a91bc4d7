package io.glimpse.ops.bench;

import io.glimpse.model.image.ImagePreprocessor;
import io.glimpse.model.inference.InferenceException;
import io.glimpse.trainer.data.DatasetException;
import io.glimpse.trainer.data.DatasetOptions;
import io.glimpse.trainer.data.FashionMnist;
import io.glimpse.trainer.data.ImageDataset;
import java.nio.file.Path;

/**
 * The Fashion-MNIST test set as the accuracy benchmarks ({@code bench precision}, {@code bench
 * drift}) classify it: in batches of {@value #BATCH}, each image through the model's own
 * preprocessor into one input tensor per batch.
 */
final class TestSetBatches {
  static final int BATCH = 64;

  /** Takes one batch: its first image's index, its size, and the filled input tensor. */
  @FunctionalInterface
  interface Batch {
    void accept(int start, int count, float[] tensor) throws InferenceException;
  }

  private TestSetBatches() {}

  /**
   * Reads the test set.
   *
   * @param dataDir the Fashion-MNIST files
   * @param limit at most this many images (0: all)
   * @throws DatasetException when the files are missing or have no test set
   */
  static ImageDataset fashionMnist(Path dataDir, int limit) throws DatasetException {
    return FashionMnist.source(DatasetOptions.defaults().withDirectory(dataDir).withLimit(limit))
        .load()
        .testSet()
        .orElseThrow(() -> new DatasetException("Fashion-MNIST has no test set in " + dataDir));
  }

  /** Hands {@code images} to {@code batch}, {@value #BATCH} at a time, preprocessed. */
  static void forEach(ImageDataset images, ImagePreprocessor preprocessor, Batch batch)
      throws InferenceException {
    int size = preprocessor.tensorSize();
    for (int start = 0; start < images.size(); start += BATCH) {
      int n = Math.min(BATCH, images.size() - start);
      float[] tensor = new float[n * size];
      for (int i = 0; i < n; i++) {
        preprocessor.writeTensor(images.image(start + i), tensor, i * size);
      }
      batch.accept(start, n, tensor);
    }
  }
}
