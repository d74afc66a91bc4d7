package io.glimpse.trainer.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Xiao et al. 2017): 60,000 training and 10,000 test images of clothing, 28×28 gray,
 * 10 classes, read from its four IDX files, gzipped or not. Debian's {@code dataset-fashion-mnist}
 * package installs them in {@link #DEFAULT_DIRECTORY}. DJL's own {@code FashionMnist} class
 * downloads them instead, which this project never does.
 */
public final class FashionMnist implements DataSource {

  /** Where Debian's {@code dataset-fashion-mnist} package puts the files. */
  public static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

  /** The class names, in label order, as the data set's authors list them. */
  public static final List<String> CLASSES =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  /** The four IDX files, each gzipped ({@code .gz}) or not. */
  private static final List<String> FILES =
      List.of(
          "train-images-idx3-ubyte",
          "train-labels-idx1-ubyte",
          "t10k-images-idx3-ubyte",
          "t10k-labels-idx1-ubyte");

  private final DatasetOptions options;
  private final Path directory;

  private FashionMnist(DatasetOptions options) {
    this.options = options;
    this.directory = options.directoryOr(DEFAULT_DIRECTORY);
  }

  /**
   * Returns the data source for the options; nothing is read until {@link #load()}.
   *
   * @param options directory (default {@link #DEFAULT_DIRECTORY}), limit, validation split
   * @return the source
   */
  public static FashionMnist source(DatasetOptions options) {
    return new FashionMnist(options);
  }

  /**
   * Tells whether {@code directory} holds all four files, gzipped or not, so that a caller with
   * another data set to fall back on can choose before {@link #load()} would fail.
   *
   * @param directory where to look, e.g. {@link #DEFAULT_DIRECTORY}
   * @return whether the data set can be read from there
   */
  public static boolean isPresent(Path directory) {
    return FILES.stream()
        .allMatch(
            name ->
                Files.isRegularFile(directory.resolve(name + ".gz"))
                    || Files.isRegularFile(directory.resolve(name)));
  }

  /**
   * Reads the training file (minus a stratified validation share) and the test file.
   *
   * @return the splits
   * @throws DatasetException naming the missing or malformed file
   */
  @Override
  public DataSplits load() throws DatasetException {
    if (!Files.isDirectory(directory)) {
      throw new DatasetException(
          "Fashion-MNIST directory "
              + directory
              + " does not exist; install the files with 'apt-get install dataset-fashion-mnist'"
              + " or point --data-dir at the directory holding train-images-idx3-ubyte.gz");
    }
    InMemoryImageDataset all = read("train", options.limit());
    InMemoryImageDataset test = read("t10k", options.limit());
    InMemoryImageDataset[] parts =
        StratifiedSplit.split(all, options.validationFraction(), options.seed());
    return new DataSplits(parts[0], parts[1], test);
  }

  /** Flips only: shifting centred 28×28 items costs accuracy in runs of this length. */
  @Override
  public Augmentation suggestedAugmentation() {
    return Augmentation.FLIP_ONLY;
  }

  @Override
  public String describe() {
    return "fashion-mnist (" + directory + ")";
  }

  /**
   * Reads one file pair as it is, images in file order (what publishing a file's images to a topic
   * sends, for comparing training from the topic with training from the files).
   *
   * @param split {@code train} or {@code t10k}
   * @param limit at most this many images, 0 for all
   * @return the images with {@link #CLASSES}
   * @throws DatasetException naming the missing or malformed file
   */
  public InMemoryImageDataset read(String split, int limit) throws DatasetException {
    Path imagesFile = find(split + "-images-idx3-ubyte");
    Path labelsFile = find(split + "-labels-idx1-ubyte");
    IdxFile.Images images = IdxFile.readImages(imagesFile, limit);
    IdxFile.Labels labels = IdxFile.readLabels(labelsFile, limit);
    if (images.countInFile() != labels.countInFile()) {
      throw new DatasetException(
          imagesFile
              + " holds "
              + images.countInFile()
              + " images but "
              + labelsFile
              + " holds "
              + labels.countInFile()
              + " labels; they must come from the same release");
    }
    return new InMemoryImageDataset(
        CLASSES, 1, images.rows(), images.columns(), images.pixels(), labels(labelsFile, labels));
  }

  private Path find(String baseName) throws DatasetException {
    for (String name : List.of(baseName + ".gz", baseName)) {
      Path file = directory.resolve(name);
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    throw new DatasetException(
        "Fashion-MNIST file "
            + directory.resolve(baseName + ".gz")
            + " (or without .gz) does not exist; the directory must hold"
            + " {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]"
            + " ('apt-get install dataset-fashion-mnist' puts them in "
            + DEFAULT_DIRECTORY
            + ")");
  }

  private static int[] labels(Path file, IdxFile.Labels labels) throws DatasetException {
    int[] result = new int[labels.labels().length];
    for (int i = 0; i < result.length; i++) {
      result[i] = labels.labels()[i] & 0xff;
      if (result[i] >= CLASSES.size()) {
        throw new DatasetException(
            file + " has label " + result[i] + " at index " + i + "; Fashion-MNIST labels are 0-9");
      }
    }
    return result;
  }
}
