package io.glimpse.ops.bench;

import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.topic.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Records the pipeline must dead-letter, one of each kind a producer gets wrong: a value that is
 * not in the registry's wire format, one that names a schema id the registry does not have, an
 * ImageEvent whose JPEG does not decode, one with an unsupported content type, and a tombstone.
 */
final class PoisonRecords {
  /** How many kinds {@link #value} cycles through. */
  static final int KINDS = 5;

  private static final int UNKNOWN_SCHEMA_ID = 987_654_321;

  private final Serializer<ImageEvent> serializer;

  PoisonRecords(Serializer<ImageEvent> serializer) {
    this.serializer = serializer;
  }

  /** The serialized value of poison record {@code kind} (modulo {@link #KINDS}); may be null. */
  byte[] value(int kind, String id) {
    return switch (kind % KINDS) {
      case 0 -> "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
      case 1 ->
          ByteBuffer.allocate(16).put((byte) 0).putInt(UNKNOWN_SCHEMA_ID).putLong(42L).array();
      case 2 -> event(id, "image/jpeg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 1});
      case 3 -> event(id, "image/gif", "GIF89a".getBytes(StandardCharsets.US_ASCII));
      default -> null;
    };
  }

  private byte[] event(String id, String contentType, byte[] data) {
    ImageEvent event =
        ImageEvent.newBuilder()
            .setId(id)
            .setSource("glimpse-bench-poison")
            .setContentType(contentType)
            .setData(ByteBuffer.wrap(data))
            .setEventTime(Instant.now())
            .build();
    return serializer.serialize(Topics.IMAGES.name(), event);
  }
}
