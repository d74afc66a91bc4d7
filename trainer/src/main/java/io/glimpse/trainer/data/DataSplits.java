package io.glimpse.trainer.data;

import java.util.Optional;

/**
 * The parts of a data set a training run uses: images to train on, images to choose the best epoch
 * by (and to compare versions by, as {@code validation_accuracy}), and optionally a held-out test
 * set that nothing is tuned on ({@code test_accuracy}).
 *
 * @param train the training images
 * @param validation the validation images, same size and classes as {@code train}
 * @param test the test images, or null when the data set has none
 */
public record DataSplits(ImageDataset train, ImageDataset validation, ImageDataset test) {

  /** Checks that the parts agree on classes, channels and size. */
  public DataSplits {
    requireSameKind(train, validation, "validation");
    if (test != null) {
      requireSameKind(train, test, "test");
    }
    if (train.size() == 0 || validation.size() == 0) {
      throw new IllegalArgumentException(
          "need at least one training and one validation image, got "
              + train.size()
              + " and "
              + validation.size());
    }
  }

  /**
   * Returns the test images, if the data set has a test set.
   *
   * @return the test set
   */
  public Optional<ImageDataset> testSet() {
    return Optional.ofNullable(test);
  }

  private static void requireSameKind(ImageDataset train, ImageDataset other, String part) {
    boolean same =
        train.classes().equals(other.classes())
            && train.channels() == other.channels()
            && train.height() == other.height()
            && train.width() == other.width();
    if (!same) {
      throw new IllegalArgumentException(
          "the " + part + " images (" + other + ") differ in classes or size from " + train);
    }
  }
}
