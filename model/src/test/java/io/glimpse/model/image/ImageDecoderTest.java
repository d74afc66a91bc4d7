package io.glimpse.model.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import io.glimpse.model.RequiredPackage;
import io.glimpse.model.image.ImageRejectedException.Reason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** Real PNG and JPEG bytes written by ImageIO, raw pixels, and one test per kind of rejection. */
class ImageDecoderTest {

  private static final Path FASHION_MNIST_TEST_IMAGES =
      Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");

  /** ImageIO for JPEG too, the reference: NativeJpegDecoderTest holds libjpeg-turbo to it. */
  private final ImageDecoder decoder =
      ImageDecoder.builder().optJpegCodec(JpegCodec.IMAGEIO).build();

  @Test
  void decodesGrayPngAsOneChannelExactly() throws Exception {
    BufferedImage image = new BufferedImage(5, 3, BufferedImage.TYPE_BYTE_GRAY);
    byte[] expected = new byte[15];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = (byte) (i * 17);
      image.getRaster().setSample(i % 5, i / 5, 0, i * 17);
    }

    DecodedImage decoded = decode(ContentTypes.PNG, encode(image, "png"));

    assertShape(decoded, 5, 3, 1);
    assertThat(decoded.pixels()).containsExactly(expected);
  }

  @Test
  void scalesSixteenBitGrayPngToEightBits() throws Exception {
    BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
    image.getRaster().setPixels(0, 0, 3, 1, new int[] {0, 0x8080, 0xffff});

    DecodedImage decoded = decode(ContentTypes.PNG, encode(image, "png"));

    assertShape(decoded, 3, 1, 1);
    assertThat(decoded.pixels()).containsExactly(0, 128, 255);
  }

  @Test
  void decodesRgbPngExactly() throws Exception {
    BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
    int[] rgb = {0x102030, 0x405060, 0x708090, 0xa0b0c0};
    image.setRGB(0, 0, 2, 2, rgb, 0, 2);

    DecodedImage decoded = decode(ContentTypes.PNG, encode(image, "png"));

    assertShape(decoded, 2, 2, 3);
    assertThat(decoded.pixels()).containsExactly(rgbBytes(rgb));
  }

  @Test
  void dropsAlphaOfArgbPng() throws Exception {
    BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    image.setRGB(0, 0, 2, 1, new int[] {0x00ff0000, 0x8000ff7f}, 0, 2);

    DecodedImage decoded = decode(ContentTypes.PNG, encode(image, "png"));

    assertShape(decoded, 2, 1, 3);
    assertThat(decoded.pixels()).containsExactly(rgbBytes(new int[] {0xff0000, 0x00ff7f}));
  }

  @Test
  void expandsPalettePngToRgb() throws Exception {
    BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY);
    image.setRGB(0, 0, 2, 1, new int[] {0xffffff, 0x000000}, 0, 2);

    DecodedImage decoded = decode("IMAGE/PNG; foo=bar", encode(image, "png"));

    assertShape(decoded, 2, 1, 3);
    assertThat(decoded.pixels()).containsExactly(255, 255, 255, 0, 0, 0);
  }

  @Test
  void decodesGrayAndRgbJpegWithinCompressionError() throws Exception {
    BufferedImage gray = new BufferedImage(16, 8, BufferedImage.TYPE_BYTE_GRAY);
    // Through the raster: setRGB would convert sRGB 100 to linear gray 32.
    gray.getRaster().setSamples(0, 0, 16, 8, 0, filledInts(16 * 8, 100));
    BufferedImage rgb = filled(BufferedImage.TYPE_INT_RGB, 0xc86432);

    DecodedImage decodedGray = decode(ContentTypes.JPEG, encode(gray, "jpeg"));
    DecodedImage decodedRgb = decode("image/jpg", encode(rgb, "jpeg"));

    assertShape(decodedGray, 16, 8, 1);
    assertShape(decodedRgb, 16, 8, 3);
    for (int i = 0; i < 16 * 8; i++) {
      assertThat(decodedGray.pixels()[i] & 0xff).isCloseTo(100, within(2));
      assertThat(decodedRgb.pixels()[3 * i] & 0xff).isCloseTo(200, within(3));
      assertThat(decodedRgb.pixels()[3 * i + 1] & 0xff).isCloseTo(100, within(3));
      assertThat(decodedRgb.pixels()[3 * i + 2] & 0xff).isCloseTo(50, within(3));
    }
  }

  @Test
  void takesRawPixelsWithOneThreeOrFourChannelsAsTheyAre() throws Exception {
    for (int channels : new int[] {1, 3, 4}) {
      byte[] pixels = new byte[4 * 2 * channels];
      Arrays.fill(pixels, (byte) channels);

      DecodedImage decoded = decoder.decode(ContentTypes.RAW, pixels, 4, 2, channels);

      assertShape(decoded, 4, 2, channels);
      assertThat(decoded.pixels()).isSameAs(pixels);
    }
  }

  @Test
  void rejectsUnsupportedContentTypes() {
    for (String type : new String[] {"image/gif", "text/plain", null}) {
      assertRejected(type, new byte[] {1, 2, 3}, Reason.UNSUPPORTED_CONTENT_TYPE)
          .hasMessageContaining("content type \"" + type + "\" is not supported")
          .hasMessageContaining("send image/jpeg, image/png or application/x-raw-pixels");
    }
  }

  @Test
  void rejectsGarbageDeclaredAsPng() {
    byte[] garbage = "definitely not a png".getBytes(StandardCharsets.UTF_8);
    assertRejected(ContentTypes.PNG, garbage, Reason.UNDECODABLE)
        .hasMessageContaining(
            "expected a complete image/png image but 20 bytes starting with 64 65")
        .hasMessageContaining("check that the content type matches its format");
  }

  @Test
  void rejectsJpegDeclaredAsPngAndEmptyBytes() throws Exception {
    byte[] jpeg = encode(filled(BufferedImage.TYPE_INT_RGB, 0x123456), "jpeg");
    assertRejected(ContentTypes.PNG, jpeg, Reason.UNDECODABLE)
        .hasMessageContaining("starting with ff d8 ff");
    assertRejected(ContentTypes.JPEG, new byte[0], Reason.UNDECODABLE)
        .hasMessageContaining("has no bytes");
  }

  @Test
  void rejectsTruncatedJpegAndPng() throws Exception {
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < 64 * 48; i++) {
      image.setRGB(i % 64, i / 64, (int) ((i * 2654435761L) >>> 7)); // noise: a long JPEG
    }
    byte[] jpeg = encode(image, "jpeg");
    byte[] png = encode(image, "png");
    // Without its last two bytes (the EOI marker) a JPEG still decodes, with a warning.
    for (int length : new int[] {jpeg.length / 2, jpeg.length - 2, 40}) {
      assertRejected(ContentTypes.JPEG, Arrays.copyOf(jpeg, length), Reason.UNDECODABLE)
          .hasMessageContaining("expected a complete image/jpeg");
    }
    for (int length : new int[] {png.length / 2, 40}) {
      assertRejected(ContentTypes.PNG, Arrays.copyOf(png, length), Reason.UNDECODABLE)
          .hasMessageContaining("expected a complete image/png");
    }
  }

  @Test
  void rejectsRawWithWrongLengthMissingFieldsOrBadChannels() {
    byte[] pixels = new byte[12];
    assertRejected(ContentTypes.RAW, pixels, 2, 2, 2, Reason.INVALID_RAW_LAYOUT)
        .hasMessageContaining("1, 3 or 4 channels, got 2x2x2 (width x height x channels)");
    assertRejected(ContentTypes.RAW, pixels, null, 2, 3, Reason.INVALID_RAW_LAYOUT)
        .hasMessageContaining("needs width, height and channels, got width null");
    assertRejected(ContentTypes.RAW, pixels, 2, 2, null, Reason.INVALID_RAW_LAYOUT)
        .hasMessageContaining("channels null");
    assertRejected(ContentTypes.RAW, pixels, 0, 2, 3, Reason.INVALID_RAW_LAYOUT)
        .hasMessageContaining("positive width and height");
    assertRejected(ContentTypes.RAW, pixels, 3, 2, 3, Reason.INVALID_RAW_LAYOUT)
        .hasMessageContaining("declared 3x2x3 (width x height x channels) needs exactly 18 bytes")
        .hasMessageContaining("got 12");
    assertRejected(ContentTypes.RAW, pixels, 100_000, 100_000, 1, Reason.TOO_LARGE)
        .hasMessageContaining("over the limit of 40000000 pixels");
  }

  @Test
  void refusesDecompressionBombFromItsHeaderWithoutDecoding() throws Exception {
    byte[] bomb =
        withPngSize(
            encode(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY), "png"), 100_000, 100_000);

    long start = System.nanoTime();
    assertRejected(ContentTypes.PNG, bomb, Reason.TOO_LARGE)
        .hasMessageContaining("header declares 100000x100000 pixels, over the limit of 40000000")
        .hasMessageContaining("refused without decoding it");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
  }

  @Test
  void honoursASmallerPixelLimit() throws Exception {
    ImageDecoder small = ImageDecoder.builder().optMaxPixels(99).build();
    byte[] png = encode(new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_GRAY), "png");

    ImageRejectedException e =
        catchThrowableOfType(
            ImageRejectedException.class,
            () -> small.decode(ContentTypes.PNG, png, null, null, null));

    assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
    assertThat(decoder.decode(ContentTypes.PNG, png, null, null, null).width()).isEqualTo(10);
    assertThatThrownBy(() -> ImageDecoder.builder().optMaxPixels(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("optMaxPixels must be between 1 and 536870911, got 0");
  }

  @Test
  void decodesFashionMnistImagesAsRawGray() throws Exception {
    RequiredPackage.assumeInstalled(
        Files.isReadable(FASHION_MNIST_TEST_IMAGES), "dataset-fashion-mnist");
    try (DataInputStream in =
        new DataInputStream(new GZIPInputStream(Files.newInputStream(FASHION_MNIST_TEST_IMAGES)))) {
      assertThat(in.readInt()).as("IDX magic").isEqualTo(2051);
      assertThat(in.readInt()).as("count").isEqualTo(10_000);
      int rows = in.readInt();
      int cols = in.readInt();
      for (int i = 0; i < 3; i++) {
        byte[] pixels = readFully(in, rows * cols);

        DecodedImage image = decoder.decode(ContentTypes.RAW, pixels, cols, rows, 1);

        assertShape(image, 28, 28, 1);
        assertThat(image.pixels()).isSameAs(pixels);
        assertThat(image.pixels()).as("not blank").isNotEqualTo(new byte[rows * cols]);
      }
    }
  }

  private DecodedImage decode(String contentType, byte[] data) throws ImageRejectedException {
    return decoder.decode(contentType, data, null, null, null);
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertRejected(
      String contentType, byte[] data, Reason reason) {
    return assertRejected(contentType, data, null, null, null, reason);
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertRejected(
      String contentType,
      byte[] data,
      Integer width,
      Integer height,
      Integer channels,
      Reason reason) {
    ImageRejectedException e =
        catchThrowableOfType(
            ImageRejectedException.class,
            () -> decoder.decode(contentType, data, width, height, channels));
    assertThat(e).as("rejection of " + contentType).isNotNull();
    assertThat(e.reason()).isEqualTo(reason);
    return assertThat((Throwable) e);
  }

  private static void assertShape(DecodedImage image, int width, int height, int channels) {
    assertThat(new int[] {image.width(), image.height(), image.channels()})
        .containsExactly(width, height, channels);
  }

  private static int[] filledInts(int length, int value) {
    int[] values = new int[length];
    Arrays.fill(values, value);
    return values;
  }

  private static BufferedImage filled(int type, int rgb) {
    BufferedImage image = new BufferedImage(16, 8, type);
    for (int i = 0; i < 16 * 8; i++) {
      image.setRGB(i % 16, i / 16, rgb);
    }
    return image;
  }

  private static byte[] rgbBytes(int[] rgb) {
    ByteBuffer bytes = ByteBuffer.allocate(rgb.length * 3);
    for (int pixel : rgb) {
      bytes.put((byte) (pixel >> 16)).put((byte) (pixel >> 8)).put((byte) pixel);
    }
    return bytes.array();
  }

  static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(image, format, out)).as("ImageIO writes " + format).isTrue();
    return out.toByteArray();
  }

  /** Patches a PNG's IHDR width and height and recomputes the chunk's CRC, as a bomb would. */
  private static byte[] withPngSize(byte[] png, int width, int height) {
    ByteBuffer buffer = ByteBuffer.wrap(png.clone());
    assertThat(new String(png, 12, 4, StandardCharsets.US_ASCII)).isEqualTo("IHDR");
    buffer.putInt(16, width).putInt(20, height);
    CRC32 crc = new CRC32();
    crc.update(buffer.array(), 12, 4 + 13);
    buffer.putInt(29, (int) crc.getValue());
    return buffer.array();
  }

  private static byte[] readFully(InputStream in, int length) throws IOException {
    byte[] bytes = in.readNBytes(length);
    assertThat(bytes).hasSize(length);
    return bytes;
  }
}
