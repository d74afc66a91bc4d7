package io.glimpse.trainer.data;

import java.nio.file.Path;

/**
 * Options every data set reader takes.
 *
 * @param directory where the files are; null for the reader's default (Fashion-MNIST: {@code
 *     /usr/share/datasets/fashion-mnist}; ignored by the synthetic set)
 * @param limit at most this many images are read from each file or split (training and test); 0
 *     reads everything. Smoke runs and tests use a few hundred.
 * @param validationFraction the share of the training images held out for validation, in (0, 1)
 * @param seed the seed of the validation split (and of the synthetic images)
 */
public record DatasetOptions(Path directory, int limit, double validationFraction, long seed) {

  /** The default validation share: a tenth of the training images. */
  public static final double DEFAULT_VALIDATION_FRACTION = 0.1;

  /** Checks the values. */
  public DatasetOptions {
    if (limit < 0) {
      throw new IllegalArgumentException("the image limit must be 0 (none) or more, got " + limit);
    }
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "the validation fraction must be between 0 and 1, got " + validationFraction);
    }
  }

  /**
   * Returns the defaults: the reader's default directory, no limit, a tenth for validation, seed
   * 42.
   *
   * @return the default options
   */
  public static DatasetOptions defaults() {
    return new DatasetOptions(null, 0, DEFAULT_VALIDATION_FRACTION, 42);
  }

  /**
   * Returns a copy with another directory.
   *
   * @param newDirectory the directory, or null for the reader's default
   * @return the new options
   */
  public DatasetOptions withDirectory(Path newDirectory) {
    return new DatasetOptions(newDirectory, limit, validationFraction, seed);
  }

  /**
   * Returns a copy with another image limit.
   *
   * @param newLimit at most this many images per file or split, 0 for all
   * @return the new options
   */
  public DatasetOptions withLimit(int newLimit) {
    return new DatasetOptions(directory, newLimit, validationFraction, seed);
  }

  /**
   * Returns a copy with another validation fraction.
   *
   * @param fraction in (0, 1)
   * @return the new options
   */
  public DatasetOptions withValidationFraction(double fraction) {
    return new DatasetOptions(directory, limit, fraction, seed);
  }

  /**
   * Returns a copy with another seed.
   *
   * @param newSeed the seed
   * @return the new options
   */
  public DatasetOptions withSeed(long newSeed) {
    return new DatasetOptions(directory, limit, validationFraction, newSeed);
  }

  Path directoryOr(Path defaultDirectory) {
    return directory != null ? directory : defaultDirectory;
  }
}
