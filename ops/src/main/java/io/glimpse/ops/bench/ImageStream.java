package io.glimpse.ops.bench;

import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An open-ended stream of benchmark images for runs whose length is set by time, not by count: each
 * record gets an id never used before (so a duplicate or a missing prediction shows), its picture
 * comes from a fixed pool of encoded pictures, and {@code badFraction} of the records, evenly
 * spread, are poison of every kind {@link PoisonRecords} makes. Not thread-safe.
 */
final class ImageStream {
  /**
   * One record to publish.
   *
   * @param key the image id, UTF-8
   * @param value the serialized ImageEvent, or a poison value (may be null)
   */
  record Next(byte[] key, byte[] value) {}

  private final List<byte[]> pictures;
  private final ImageFormat format;
  private final double badFraction;
  private final Serializer<ImageEvent> serializer;
  private final PoisonRecords poison;
  private int sent;
  private int poisonSent;

  /**
   * A stream.
   *
   * @param pictures encoded pictures in {@code format} (JPEG or PNG), reused in turn
   * @param badFraction the share of poison records, in [0, 0.5]
   * @param serializer an ImageEvent serializer configured for the stack's registry
   */
  ImageStream(
      List<byte[]> pictures,
      ImageFormat format,
      double badFraction,
      Serializer<ImageEvent> serializer) {
    if (pictures.isEmpty() || format == ImageFormat.RAW || badFraction < 0 || badFraction > 0.5) {
      throw new IllegalArgumentException(
          "need encoded pictures (not raw pixels) and a bad fraction in [0, 0.5]");
    }
    this.pictures = List.copyOf(pictures);
    this.format = format;
    this.badFraction = badFraction;
    this.serializer = serializer;
    this.poison = new PoisonRecords(serializer);
  }

  /** The next record. */
  Next next() {
    int i = sent++;
    String id = "image-" + i;
    byte[] key = id.getBytes(StandardCharsets.UTF_8);
    if (Math.floor((i + 1) * badFraction) > Math.floor(i * badFraction)) {
      return new Next(key, poison.value(poisonSent++, id));
    }
    // Raw pixels would need the picture's size; the stream is for encoded pictures.
    ImageEvent event = BenchImages.event(id, pictures.get(i % pictures.size()), 0, 0, 0, format);
    return new Next(key, serializer.serialize(Topics.IMAGES.name(), event));
  }

  /** Records handed out so far. */
  int sent() {
    return sent;
  }

  /** Poison records among them. */
  int poisonSent() {
    return poisonSent;
  }
}
