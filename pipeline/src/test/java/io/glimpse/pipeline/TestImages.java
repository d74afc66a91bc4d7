package io.glimpse.pipeline;

import io.glimpse.schemas.avro.ImageEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Random;

/** Images for tests: raw 8-bit gray pixels, PNG bytes, and broken variants. */
public final class TestImages {
  private TestImages() {}

  /** A raw gray image of the given size with deterministic pixels. */
  public static ImageEvent raw(String id, int width, int height) {
    byte[] pixels = new byte[width * height];
    new Random(id.hashCode()).nextBytes(pixels);
    return event(id, "application/x-raw-pixels", pixels)
        .setWidth(width)
        .setHeight(height)
        .setChannels(1)
        .build();
  }

  /** An image event builder with the given type and bytes, no dimensions. */
  public static ImageEvent.Builder event(String id, String contentType, byte[] data) {
    return ImageEvent.newBuilder()
        .setId(id)
        .setSource("test")
        .setContentType(contentType)
        .setData(ByteBuffer.wrap(data))
        .setEventTime(Instant.ofEpochMilli(1_764_000_000_000L))
        .setLabel("class-1");
  }
}
