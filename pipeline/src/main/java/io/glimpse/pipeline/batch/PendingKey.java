package io.glimpse.pipeline.batch;

import java.nio.ByteBuffer;
import org.apache.kafka.common.utils.Bytes;

/**
 * A record's place in its source topic, as the batch buffer's key: 4-byte partition then 8-byte
 * offset, big-endian, so the store's byte order is arrival order within a partition.
 */
public record PendingKey(int partition, long offset) {
  /** The 12-byte store key. */
  public Bytes toBytes() {
    return Bytes.wrap(ByteBuffer.allocate(12).putInt(partition).putLong(offset).array());
  }

  /** Reads a store key. */
  public static PendingKey fromBytes(Bytes bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes.get());
    return new PendingKey(buffer.getInt(), buffer.getLong());
  }
}
