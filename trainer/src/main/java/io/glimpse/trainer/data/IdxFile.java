package io.glimpse.trainer.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST (big-endian, unsigned bytes): images with magic
 * number 2051 and dimensions count × rows × columns, labels with magic number 2049 and a count.
 * Gzip-compressed files are recognized by their content, whatever their name. Only the first {@code
 * limit} items are read, so a small limit reads a few kilobytes of a large file.
 */
final class IdxFile {

  static final int IMAGES_MAGIC = 2051;
  static final int LABELS_MAGIC = 2049;
  private static final int MAX_SIDE = 4096;

  /** Images from an IDX file; {@code count} may be fewer than the file holds (a limit). */
  record Images(int count, int rows, int columns, int countInFile, byte[] pixels) {}

  /** Labels from an IDX file; {@code labels.length} may be fewer than the file holds. */
  record Labels(int countInFile, byte[] labels) {}

  private IdxFile() {}

  static Images readImages(Path file, int limit) throws DatasetException {
    try (DataInputStream in = open(file)) {
      checkMagic(file, in.readInt(), IMAGES_MAGIC, "images (unsigned bytes, 3 dimensions)");
      int count = in.readInt();
      int rows = in.readInt();
      int columns = in.readInt();
      if (count < 0 || rows < 1 || columns < 1 || rows > MAX_SIDE || columns > MAX_SIDE) {
        throw malformed(
            file, "declares " + count + " images of " + rows + "x" + columns + " pixels");
      }
      int n = limit > 0 ? Math.min(limit, count) : count;
      byte[] pixels = new byte[Math.multiplyExact(n, rows * columns)];
      readFully(file, in, pixels, n + " images");
      return new Images(n, rows, columns, count, pixels);
    } catch (IOException e) {
      throw unreadable(file, e);
    }
  }

  static Labels readLabels(Path file, int limit) throws DatasetException {
    try (DataInputStream in = open(file)) {
      checkMagic(file, in.readInt(), LABELS_MAGIC, "labels (unsigned bytes, 1 dimension)");
      int count = in.readInt();
      if (count < 0) {
        throw malformed(file, "declares " + count + " labels");
      }
      byte[] labels = new byte[limit > 0 ? Math.min(limit, count) : count];
      readFully(file, in, labels, labels.length + " labels");
      return new Labels(count, labels);
    } catch (IOException e) {
      throw unreadable(file, e);
    }
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    return new DataInputStream(in);
  }

  private static void checkMagic(Path file, int magic, int expected, String what)
      throws DatasetException {
    if (magic != expected) {
      throw malformed(
          file,
          "starts with magic number "
              + magic
              + " where IDX "
              + what
              + " have "
              + expected
              + "; is it the right file?");
    }
  }

  private static void readFully(Path file, DataInputStream in, byte[] dest, String what)
      throws IOException, DatasetException {
    try {
      in.readFully(dest);
    } catch (EOFException e) {
      throw malformed(file, "ends before its header's " + what + " (the file is truncated)");
    }
  }

  private static DatasetException malformed(Path file, String detail) {
    return new DatasetException(
        file + " is not a valid IDX file: it " + detail + "; replace it with the original file");
  }

  private static DatasetException unreadable(Path file, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new DatasetException(file + " does not exist", e);
    }
    if (e instanceof EOFException) {
      return new DatasetException(
          file + " is not a valid IDX file: it ends inside its header (the file is truncated)", e);
    }
    return new DatasetException("cannot read " + file + ": " + e, e);
  }
}
