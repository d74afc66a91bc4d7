package io.glimpse.ops.bench;

import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.topic.Topics;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The benchmark's images, held in memory exactly as the pipeline receives them: String keys and
 * ImageEvent values in the schema registry's wire format. A synthetic image is a random gradient
 * with shapes and noise, so JPEG and PNG sizes are those of natural-ish pictures; a photo is
 * camera-sized and photo-like ({@link PhotoPictures}), a JPEG of quality 85. A pool of distinct
 * pictures is reused under distinct ids.
 */
final class BenchImages {
  private static final int DISTINCT = 128;

  private final List<byte[]> keys;
  private final List<byte[]> values;

  private BenchImages(List<byte[]> keys, List<byte[]> values) {
    this.keys = Collections.unmodifiableList(keys);
    this.values = Collections.unmodifiableList(values);
  }

  /**
   * Encodes {@code count} synthetic images of {@code size}×{@code size} pixels and serializes their
   * events.
   *
   * @param serializer an ImageEvent serializer configured for the stack's registry
   */
  static BenchImages generate(
      int count, int size, int channels, ImageFormat format, Serializer<ImageEvent> serializer) {
    return generate(count, size, size, channels, format, ImageContent.SYNTHETIC, serializer);
  }

  /**
   * Encodes {@code count} images of {@code width}×{@code height} pixels showing {@code content}
   * (photos only as JPEG) and serializes their events.
   *
   * @param serializer an ImageEvent serializer configured for the stack's registry
   */
  static BenchImages generate(
      int count,
      int width,
      int height,
      int channels,
      ImageFormat format,
      ImageContent content,
      Serializer<ImageEvent> serializer) {
    return generate("bench-", count, width, height, channels, format, content, serializer);
  }

  /**
   * Encodes {@code count} synthetic images of {@code size}×{@code size} pixels whose ids are {@code
   * idPrefix} and their index, so that two sets published to one topic do not share ids.
   *
   * @param serializer an ImageEvent serializer configured for the stack's registry
   */
  static BenchImages generate(
      String idPrefix,
      int count,
      int size,
      int channels,
      ImageFormat format,
      Serializer<ImageEvent> serializer) {
    return generate(
        idPrefix, count, size, size, channels, format, ImageContent.SYNTHETIC, serializer);
  }

  private static BenchImages generate(
      String idPrefix,
      int count,
      int width,
      int height,
      int channels,
      ImageFormat format,
      ImageContent content,
      Serializer<ImageEvent> serializer) {
    int distinct = Math.min(count, DISTINCT);
    List<byte[]> pictures;
    if (content == ImageContent.PHOTO) {
      // One seed per picture, so the pool is the same however the cores share the work.
      pictures =
          IntStream.range(0, distinct)
              .parallel()
              .mapToObj(
                  i ->
                      jpeg(
                          PhotoPictures.picture(width, height, channels, 42 + i),
                          PhotoPictures.JPEG_QUALITY))
              .toList();
    } else {
      pictures = syntheticPictures(distinct, width, height, channels, format);
    }
    List<byte[]> keys = new ArrayList<>(count);
    List<byte[]> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String id = idPrefix + i;
      ImageEvent event =
          event(id, pictures.get(i % pictures.size()), width, height, channels, format);
      keys.add(id.getBytes(StandardCharsets.UTF_8));
      values.add(serializer.serialize(Topics.IMAGES.name(), event));
    }
    return new BenchImages(keys, values);
  }

  /** The event of one benchmark image: an encoded picture (pixel sizes only for raw pixels). */
  static ImageEvent event(
      String id, byte[] picture, int width, int height, int channels, ImageFormat format) {
    return ImageEvent.newBuilder()
        .setId(id)
        .setSource("glimpse-bench")
        .setContentType(format.contentType())
        .setData(ByteBuffer.wrap(picture))
        .setWidth(format == ImageFormat.RAW ? width : null)
        .setHeight(format == ImageFormat.RAW ? height : null)
        .setChannels(format == ImageFormat.RAW ? channels : null)
        .setEventTime(Instant.now())
        .build();
  }

  /**
   * The encoded pictures of a synthetic set of {@code count} images (a pool reused under distinct
   * ids), the same on every call.
   */
  static List<byte[]> syntheticPictures(
      int count, int width, int height, int channels, ImageFormat format) {
    Random random = new Random(42);
    List<byte[]> pictures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      pictures.add(encode(picture(width, height, channels, random), format, channels));
    }
    return pictures;
  }

  private static BufferedImage picture(int width, int height, int channels, Random random) {
    int type = channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR;
    BufferedImage image = new BufferedImage(width, height, type);
    Graphics2D g = image.createGraphics();
    try {
      g.setPaint(new GradientPaint(0, 0, color(random), width, height, color(random)));
      g.fillRect(0, 0, width, height);
      for (int i = 0; i < 6; i++) {
        g.setColor(color(random));
        int w = 1 + random.nextInt(Math.max(1, width / 2));
        g.fillOval(random.nextInt(width), random.nextInt(height), w, w);
      }
    } finally {
      g.dispose();
    }
    for (int i = 0; i < width * height / 8; i++) {
      image.setRGB(random.nextInt(width), random.nextInt(height), color(random).getRGB());
    }
    return image;
  }

  private static Color color(Random random) {
    return new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
  }

  private static byte[] encode(BufferedImage image, ImageFormat format, int channels) {
    if (format == ImageFormat.RAW) {
      return rawPixels(image, channels);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format.label(), out)) {
        throw new IllegalStateException("No ImageIO writer for " + format.label());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A baseline JPEG at {@code quality} (0 to 1, as ImageIO takes it), 4:2:0 chroma. */
  private static byte[] jpeg(BufferedImage image, float quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** Row-major, interleaved RGB (or gray) bytes, as {@code application/x-raw-pixels} wants. */
  private static byte[] rawPixels(BufferedImage image, int channels) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] pixels = new byte[w * h * channels];
    int i = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = image.getRGB(x, y);
        if (channels == 1) {
          pixels[i++] = (byte) (rgb & 0xff);
        } else {
          pixels[i++] = (byte) (rgb >> 16);
          pixels[i++] = (byte) (rgb >> 8);
          pixels[i++] = (byte) rgb;
        }
      }
    }
    return pixels;
  }

  /**
   * A copy in which {@code fraction} of the records, evenly spread, are replaced by poison records
   * of every kind {@link PoisonRecords} makes (keys kept); the other records are byte for byte the
   * same as in this set.
   */
  BenchImages withPoison(double fraction, Serializer<ImageEvent> serializer) {
    PoisonRecords poison = new PoisonRecords(serializer);
    List<byte[]> poisoned = new ArrayList<>(values);
    int kind = 0;
    for (int i = 0; i < poisoned.size(); i++) {
      if (Math.floor((i + 1) * fraction) > Math.floor(i * fraction)) {
        poisoned.set(i, poison.value(kind++, new String(keys.get(i), StandardCharsets.UTF_8)));
      }
    }
    return new BenchImages(keys, poisoned);
  }

  /** How many images. */
  int count() {
    return values.size();
  }

  /** Image {@code i}'s key (its id, UTF-8). */
  byte[] key(int i) {
    return keys.get(i);
  }

  /** Image {@code i}'s serialized ImageEvent. */
  byte[] value(int i) {
    return values.get(i);
  }

  /** Every serialized ImageEvent, in order. */
  List<byte[]> values() {
    return values;
  }

  /** The mean size of a serialized ImageEvent, in bytes. */
  double meanValueBytes() {
    return values.stream().filter(v -> v != null).mapToInt(v -> v.length).average().orElse(0);
  }
}
