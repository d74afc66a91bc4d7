package io.glimpse.trainer.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10's binary version ({@code cifar-10-binary.tar.gz}, extracted): {@code data_batch_1.bin} …
 * {@code data_batch_5.bin} for training and {@code test_batch.bin}, each a sequence of 3,073-byte
 * records: one label byte (0–9), then a 32×32 image as 1,024 red, 1,024 green and 1,024 blue bytes,
 * rows top to bottom. Class names come from {@code batches.meta.txt} when present. The directory
 * may be the one holding the files or its parent (the archive extracts into {@code
 * cifar-10-batches-bin/}).
 */
public final class Cifar10 implements DataSource {

  /** The subdirectory the official archive extracts into. */
  public static final String ARCHIVE_DIRECTORY = "cifar-10-batches-bin";

  /** The class names when the directory has no {@code batches.meta.txt}. */
  public static final List<String> CLASSES =
      List.of(
          "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  static final int SIDE = 32;
  static final int IMAGE_BYTES = 3 * SIDE * SIDE;
  static final int RECORD_BYTES = 1 + IMAGE_BYTES;

  private final DatasetOptions options;

  private Cifar10(DatasetOptions options) {
    this.options = options;
  }

  /**
   * Returns the data source for the options; nothing is read until {@link #load()}.
   *
   * @param options directory (required), limit, validation split
   * @return the source
   */
  public static Cifar10 source(DatasetOptions options) {
    return new Cifar10(options);
  }

  @Override
  public DataSplits load() throws DatasetException {
    Path dir = batchDirectory();
    List<String> classes = classes(dir);
    List<Path> trainFiles = new ArrayList<>();
    for (int i = 1; i <= 5 && Files.isRegularFile(dir.resolve(batchName(i))); i++) {
      trainFiles.add(dir.resolve(batchName(i)));
    }
    if (trainFiles.isEmpty()) {
      throw missing(dir.resolve(batchName(1)));
    }
    Path testFile = dir.resolve("test_batch.bin");
    ImageDataset test = Files.isRegularFile(testFile) ? read(List.of(testFile), classes) : null;
    InMemoryImageDataset[] parts =
        StratifiedSplit.split(
            read(trainFiles, classes), options.validationFraction(), options.seed());
    return new DataSplits(parts[0], parts[1], test);
  }

  @Override
  public String describe() {
    return "cifar10 (" + options.directory() + ")";
  }

  private Path batchDirectory() throws DatasetException {
    Path dir = options.directory();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new DatasetException(
          "CIFAR-10 directory "
              + dir
              + " does not exist; download cifar-10-binary.tar.gz from"
              + " https://www.cs.toronto.edu/~kriz/cifar.html, extract it and pass --data-dir");
    }
    Path nested = dir.resolve(ARCHIVE_DIRECTORY);
    return Files.isDirectory(nested) ? nested : dir;
  }

  private static String batchName(int i) {
    return "data_batch_" + i + ".bin";
  }

  private static DatasetException missing(Path file) {
    return new DatasetException(
        "CIFAR-10 file "
            + file
            + " does not exist; the directory must hold data_batch_1.bin ... data_batch_5.bin and"
            + " test_batch.bin (the binary version, not the Python one)");
  }

  private static List<String> classes(Path dir) throws DatasetException {
    Path meta = dir.resolve("batches.meta.txt");
    if (!Files.isRegularFile(meta)) {
      return CLASSES;
    }
    try {
      List<String> names =
          Files.readAllLines(meta, StandardCharsets.UTF_8).stream()
              .map(String::strip)
              .filter(s -> !s.isEmpty())
              .toList();
      if (names.size() != CLASSES.size()) {
        throw new DatasetException(
            meta + " lists " + names.size() + " class names; CIFAR-10 has " + CLASSES.size());
      }
      return names;
    } catch (IOException e) {
      throw new DatasetException("cannot read " + meta + ": " + e, e);
    }
  }

  private InMemoryImageDataset read(List<Path> files, List<String> classes)
      throws DatasetException {
    Cifar10Records records = new Cifar10Records(options.limit());
    for (Path file : files) {
      if (records.full()) {
        break;
      }
      records.readFile(file, size(file));
    }
    return records.toDataset(classes);
  }

  private static long size(Path file) throws DatasetException {
    try {
      long size = Files.size(file);
      if (size == 0 || size % RECORD_BYTES != 0) {
        throw new DatasetException(
            file
                + " is "
                + size
                + " bytes, not a whole number of "
                + RECORD_BYTES
                + "-byte CIFAR-10 records (1 label byte + 3072 pixel bytes); is it the binary"
                + " version, complete?");
      }
      return size;
    } catch (IOException e) {
      throw new DatasetException("cannot read " + file + ": " + e, e);
    }
  }

  /** Accumulates records from several files, converting CHW planes to HWC pixels. */
  private static final class Cifar10Records {
    private final int limit;
    private final java.io.ByteArrayOutputStream pixels = new java.io.ByteArrayOutputStream();
    private final List<Integer> labels = new ArrayList<>();

    Cifar10Records(int limit) {
      this.limit = limit;
    }

    boolean full() {
      return limit > 0 && labels.size() >= limit;
    }

    void readFile(Path file, long size) throws DatasetException {
      byte[] record = new byte[RECORD_BYTES];
      byte[] hwc = new byte[IMAGE_BYTES];
      try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
        for (long n = size / RECORD_BYTES; n > 0 && !full(); n--) {
          if (in.readNBytes(record, 0, RECORD_BYTES) != RECORD_BYTES) {
            throw new DatasetException(file + " ended early; it changed while being read");
          }
          int label = record[0] & 0xff;
          if (label >= CLASSES.size()) {
            throw new DatasetException(
                file + " has label " + label + " in record " + labels.size() + "; expected 0-9");
          }
          toHwc(record, hwc);
          pixels.write(hwc, 0, IMAGE_BYTES);
          labels.add(label);
        }
      } catch (IOException e) {
        throw new DatasetException("cannot read " + file + ": " + e, e);
      }
    }

    private static void toHwc(byte[] record, byte[] hwc) {
      int plane = SIDE * SIDE;
      for (int p = 0; p < plane; p++) {
        for (int c = 0; c < 3; c++) {
          hwc[p * 3 + c] = record[1 + c * plane + p];
        }
      }
    }

    InMemoryImageDataset toDataset(List<String> classes) {
      int[] labelArray = labels.stream().mapToInt(Integer::intValue).toArray();
      return new InMemoryImageDataset(classes, 3, SIDE, SIDE, pixels.toByteArray(), labelArray);
    }
  }
}
