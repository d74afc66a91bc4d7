package io.glimpse.schemas.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's wire format for registry-framed records: byte 0 is the magic byte {@code 0x00}, bytes
 * 1–4 the schema id as a big-endian int, and the rest the Avro binary body.
 */
public final class WireFormat {
  /** The only magic byte Confluent's serializers have ever written. */
  public static final byte MAGIC_BYTE = 0x0;

  /** Magic byte plus 4-byte schema id. */
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** A decoded frame: the schema id and the Avro body that follows the header. */
  public record Frame(int schemaId, ByteBuffer body) {}

  /** Writes the 5-byte header for a schema id into the start of {@code target}. */
  public static void writeHeader(int schemaId, ByteBuffer target) {
    target.put(MAGIC_BYTE).putInt(schemaId);
  }

  /**
   * Splits framed bytes into schema id and body.
   *
   * @throws SerializationException when the bytes are too short or the magic byte is wrong
   */
  public static Frame read(byte[] data, String topic) {
    if (data.length < HEADER_SIZE) {
      throw new SerializationException(
          "Record on topic '"
              + topic
              + "' is "
              + data.length
              + " bytes, too short for the schema registry wire format (at least 5 bytes:"
              + " magic byte 0x00 and a 4-byte schema id). It was not written by a"
              + " registry-aware Avro serializer.");
    }
    if (data[0] != MAGIC_BYTE) {
      throw new SerializationException(
          String.format(
              "Unknown magic byte 0x%02x on topic '%s'; expected 0x00 (schema registry wire"
                  + " format). The record was written by another serializer (plain Avro, JSON,"
                  + " String?) or is corrupt.",
              data[0] & 0xff, topic));
    }
    ByteBuffer buffer = ByteBuffer.wrap(data);
    buffer.get();
    int id = buffer.getInt();
    return new Frame(id, buffer.slice());
  }
}
