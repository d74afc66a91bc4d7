package io.glimpse.model.artifact;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a zip file's central directory itself, because {@code java.util.zip} does not expose the
 * entries' Unix file types: a symbolic link is stored as an ordinary entry whose "external
 * attributes" say {@code S_IFLNK}, and only this record shows it.
 */
final class ZipDirectory {

  private static final int END_SIGNATURE = 0x06054b50;
  private static final int ENTRY_SIGNATURE = 0x02014b50;
  private static final int END_SIZE = 22;
  private static final int ENTRY_SIZE = 46;
  private static final int UNIX_HOST = 3;
  private static final int TYPE_MASK = 0170000;
  private static final int REGULAR_FILE = 0100000;

  private ZipDirectory() {}

  /**
   * One central directory record.
   *
   * @param name the entry name, decoded as UTF-8
   * @param versionMadeBy host system in the high byte (3 is Unix) and zip version
   * @param externalAttributes host-specific; Unix mode in the high 16 bits
   */
  record Entry(String name, int versionMadeBy, long externalAttributes) {

    /** True for a regular file; false for a link, device, directory or other special file. */
    boolean isRegularFile() {
      if (name.endsWith("/")) {
        return false;
      }
      int type = (int) (externalAttributes >>> 16) & TYPE_MASK;
      return (versionMadeBy >>> 8) != UNIX_HOST || type == 0 || type == REGULAR_FILE;
    }

    boolean isSymbolicLink() {
      return (versionMadeBy >>> 8) == UNIX_HOST
          && ((int) (externalAttributes >>> 16) & TYPE_MASK) == 0120000;
    }
  }

  static List<Entry> read(Path zip, int maxEntries) throws IOException, ModelArtifactException {
    try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ)) {
      ByteBuffer end = findEnd(channel, zip);
      int count = Short.toUnsignedInt(end.getShort(10));
      long size = Integer.toUnsignedLong(end.getInt(12));
      long offset = Integer.toUnsignedLong(end.getInt(16));
      if (count == 0xFFFF || offset == 0xFFFFFFFFL) {
        throw corrupt(zip, "it is a zip64 archive; model archives are plain zip");
      }
      if (count > maxEntries) {
        throw corrupt(
            zip, "it has " + count + " entries, a model archive has at most " + maxEntries);
      }
      if (size > Integer.MAX_VALUE || offset + size > channel.size()) {
        throw corrupt(zip, "its central directory lies outside the file");
      }
      ByteBuffer directory = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, directory, offset);
      return entries(directory.flip(), count, zip);
    }
  }

  /** The end-of-central-directory record: last in the file, before a comment of up to 64 KiB. */
  private static ByteBuffer findEnd(FileChannel channel, Path zip)
      throws IOException, ModelArtifactException {
    long length = channel.size();
    int tailSize = (int) Math.min(length, END_SIZE + 0xFFFF);
    ByteBuffer tail = ByteBuffer.allocate(tailSize).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, tail, length - tailSize);
    for (int at = tailSize - END_SIZE; at >= 0; at--) {
      if (tail.getInt(at) == END_SIGNATURE
          && Short.toUnsignedInt(tail.getShort(at + 20)) == tailSize - at - END_SIZE) {
        return tail.slice(at, END_SIZE).order(ByteOrder.LITTLE_ENDIAN);
      }
    }
    throw corrupt(zip, "it is not a zip file (no end of central directory)");
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("unexpected end of file");
      }
    }
  }

  private static List<Entry> entries(ByteBuffer directory, int count, Path zip)
      throws ModelArtifactException {
    List<Entry> entries = new ArrayList<>(count);
    int at = 0;
    for (int i = 0; i < count; i++) {
      if (at + ENTRY_SIZE > directory.limit() || directory.getInt(at) != ENTRY_SIGNATURE) {
        throw corrupt(zip, "central directory record " + i + " is damaged");
      }
      int nameLength = Short.toUnsignedInt(directory.getShort(at + 28));
      int skip =
          Short.toUnsignedInt(directory.getShort(at + 30))
              + Short.toUnsignedInt(directory.getShort(at + 32));
      if (at + ENTRY_SIZE + nameLength + skip > directory.limit()) {
        throw corrupt(zip, "central directory record " + i + " is truncated");
      }
      String name = utf8(directory.slice(at + ENTRY_SIZE, nameLength), zip);
      entries.add(
          new Entry(
              name,
              Short.toUnsignedInt(directory.getShort(at + 4)),
              Integer.toUnsignedLong(directory.getInt(at + 38))));
      at += ENTRY_SIZE + nameLength + skip;
    }
    return entries;
  }

  private static String utf8(ByteBuffer bytes, Path zip) throws ModelArtifactException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      throw corrupt(zip, "an entry name is not valid UTF-8");
    }
  }

  static ModelArtifactException corrupt(Path zip, String why) {
    return new ModelArtifactException(
        "refusing archive "
            + zip.getFileName()
            + ": "
            + why
            + "; re-create it with ModelArchive.pack");
  }
}
