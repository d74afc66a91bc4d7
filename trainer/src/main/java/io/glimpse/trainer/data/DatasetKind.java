package io.glimpse.trainer.data;

import io.glimpse.model.artifact.InputShape;
import java.util.Locale;

/** The data sets the trainer reads, by the name the command line uses. */
public enum DatasetKind {
  /** Fashion-MNIST IDX files ({@link FashionMnist}). */
  FASHION_MNIST("fashion-mnist"),
  /** CIFAR-10 binary batches ({@link Cifar10}). */
  CIFAR10("cifar10"),
  /** One subdirectory per class ({@link ImageFolder}). */
  FOLDER("folder"),
  /** Generated shapes and textures ({@link SyntheticShapes}). */
  SYNTHETIC("synthetic");

  private final String cliName;

  DatasetKind(String cliName) {
    this.cliName = cliName;
  }

  /**
   * Returns the command-line name, e.g. {@code fashion-mnist}.
   *
   * @return the name
   */
  public String cliName() {
    return cliName;
  }

  /**
   * Finds a kind by its command-line name, case-insensitively.
   *
   * @param name e.g. {@code cifar10}
   * @return the kind
   * @throws IllegalArgumentException naming the accepted names
   */
  public static DatasetKind fromCliName(String name) {
    for (DatasetKind kind : values()) {
      if (kind.cliName.equals(name.toLowerCase(Locale.ROOT))) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown data set \"" + name + "\"; use fashion-mnist, cifar10, folder or synthetic");
  }

  /**
   * Returns the source of this kind.
   *
   * @param options directory, limit, validation split, seed
   * @param shape the network's input; image folders and synthetic images are made at this size
   * @return the source
   */
  public DataSource source(DatasetOptions options, InputShape shape) {
    return switch (this) {
      case FASHION_MNIST -> FashionMnist.source(options);
      case CIFAR10 -> Cifar10.source(options);
      case FOLDER -> ImageFolder.source(options, shape);
      case SYNTHETIC -> SyntheticShapes.source(options, shape);
    };
  }

  @Override
  public String toString() {
    return cliName;
  }
}
