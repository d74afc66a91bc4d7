package io.glimpse.model.artifact;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Hand-made zip files for the archive attacks {@link ModelArchive#pack} would never produce. */
final class Zips {

  private Zips() {}

  static void write(Path zip, Map<String, byte[]> entries) throws IOException {
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(entry.getKey()));
        out.write(entry.getValue());
        out.closeEntry();
      }
    }
  }

  /**
   * Marks an entry as a Unix symbolic link the way Info-ZIP stores one: host 3 (Unix) in "version
   * made by" and {@code S_IFLNK | 0777} in the high half of the external attributes.
   */
  static void markSymbolicLink(Path zip, String name) throws IOException {
    byte[] bytes = Files.readAllBytes(zip);
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    for (int at = 0; at + 46 + nameBytes.length <= bytes.length; at++) {
      if (buffer.getInt(at) == 0x02014b50
          && buffer.getShort(at + 28) == nameBytes.length
          && ByteBuffer.wrap(bytes, at + 46, nameBytes.length).equals(ByteBuffer.wrap(nameBytes))) {
        buffer.putShort(at + 4, (short) ((3 << 8) | 20));
        buffer.putInt(at + 38, 0120777 << 16);
        Files.write(zip, bytes);
        return;
      }
    }
    throw new IllegalArgumentException("no central directory record for " + name);
  }
}
