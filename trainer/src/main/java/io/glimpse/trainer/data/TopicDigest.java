package io.glimpse.trainer.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of the records a training run read from a topic, in the order it read them. Each
 * record adds its partition (4 bytes, big-endian), offset (8 bytes), image id, label and the
 * record's value bytes as they were on the topic (each of the last three as a 4-byte length and the
 * bytes, the strings in UTF-8; a missing label has length -1). The lengths make the encoding
 * unambiguous: two different sequences of records cannot feed the hash the same bytes. Not
 * thread-safe.
 */
public final class TopicDigest {

  private final MessageDigest sha256;
  private final ByteBuffer header = ByteBuffer.allocate(12);
  private long records;

  /** Starts an empty digest. */
  public TopicDigest() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * Adds one record.
   *
   * @param partition its partition
   * @param offset its offset
   * @param imageId the image's id
   * @param label the label it is trained with, or null
   * @param value the record's value bytes
   */
  public void add(int partition, long offset, String imageId, String label, byte[] value) {
    header.clear();
    header.putInt(partition).putLong(offset);
    sha256.update(header.array(), 0, 12);
    addBytes(imageId.getBytes(StandardCharsets.UTF_8));
    addBytes(label == null ? null : label.getBytes(StandardCharsets.UTF_8));
    addBytes(value);
    records++;
  }

  /**
   * Returns how many records were added.
   *
   * @return the count
   */
  public long records() {
    return records;
  }

  /**
   * Finishes the digest; the object cannot be used afterwards.
   *
   * @return the SHA-256 in lower-case hex
   */
  public String finish() {
    return HexFormat.of().formatHex(sha256.digest());
  }

  private void addBytes(byte[] bytes) {
    header.clear();
    header.putInt(bytes == null ? -1 : bytes.length);
    sha256.update(header.array(), 0, 4);
    if (bytes != null) {
      sha256.update(bytes);
    }
  }
}
