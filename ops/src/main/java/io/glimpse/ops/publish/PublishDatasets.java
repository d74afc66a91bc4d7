package io.glimpse.ops.publish;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.trainer.data.Cifar10;
import io.glimpse.trainer.data.DataSplits;
import io.glimpse.trainer.data.DatasetException;
import io.glimpse.trainer.data.DatasetKind;
import io.glimpse.trainer.data.DatasetOptions;
import io.glimpse.trainer.data.FashionMnist;
import io.glimpse.trainer.data.ImageDataset;
import io.glimpse.trainer.data.SyntheticShapes;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The labelled images {@code glimpse publish --dataset} sends, read with the trainer's readers: a
 * data set's test images (its training images when it has no test set), so a model trained on the
 * training images is measured on images it never saw. Nothing is downloaded. An image folder is
 * published as its files ({@link ImageFiles}), not from here.
 */
public final class PublishDatasets {
  /** Where to get CIFAR-10, said when it is missing. */
  public static final String CIFAR10_HINT =
      "CIFAR-10 is not installed with Glimpse and is never downloaded: get the binary version,"
          + " cifar-10-binary.tar.gz, from https://www.cs.toronto.edu/~kriz/cifar.html, extract it"
          + " (tar xzf) and pass --data-dir <the extracted cifar-10-batches-bin directory>";

  /** The generated images' size: that of the demo's quick model for them. */
  public static final InputShape SYNTHETIC_SHAPE = new InputShape(1, 32, 32);

  /** Images generated when no limit is given. */
  public static final int SYNTHETIC_DEFAULT = 1000;

  /** The training readers hold a tenth of the images out; at least this many keep it non-empty. */
  private static final int MIN_LOAD = 100;

  private PublishDatasets() {}

  /**
   * Loads the images to publish.
   *
   * @param kind fashion-mnist, cifar10 or synthetic
   * @param directory where the files are; null for the default (Fashion-MNIST's Debian package);
   *     required for CIFAR-10
   * @param limit at most this many images are needed; 0 for all
   * @return the images
   * @throws DatasetException when the files are missing or malformed, saying where to get them
   */
  public static ImageDataset load(DatasetKind kind, Path directory, int limit)
      throws DatasetException {
    DatasetOptions options =
        DatasetOptions.defaults()
            .withDirectory(directory)
            .withLimit(limit == 0 ? 0 : Math.max(limit, MIN_LOAD));
    DataSplits splits =
        switch (kind) {
          case FASHION_MNIST -> FashionMnist.source(options).load();
          case CIFAR10 -> cifar10(options).load();
          case SYNTHETIC ->
              SyntheticShapes.source(
                      // The test set is a sixth of the limit.
                      options.withLimit(6 * Math.max(limit == 0 ? SYNTHETIC_DEFAULT : limit, 10)),
                      SYNTHETIC_SHAPE)
                  .load();
          case FOLDER ->
              throw new IllegalArgumentException("an image folder is published as its files");
        };
    return splits.testSet().orElse(splits.train());
  }

  private static Cifar10 cifar10(DatasetOptions options) throws DatasetException {
    if (options.directory() == null || !Files.isDirectory(options.directory())) {
      throw new DatasetException(
          (options.directory() == null
                  ? "--dataset cifar10 needs --data-dir. "
                  : "CIFAR-10 directory " + options.directory() + " does not exist. ")
              + CIFAR10_HINT);
    }
    return Cifar10.source(options);
  }
}
