package io.glimpse.model.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.glimpse.model.RequiredPackage;
import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.Normalization;
import io.glimpse.model.image.ImageRejectedException.Reason;
import io.glimpse.model.image.TestJpegs.Chroma;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * libjpeg-turbo against ImageIO on the same files, and every rejection rule on the native path.
 * Skipped where libturbojpeg0 is missing, failed instead in CI.
 */
class NativeJpegDecoderTest {

  /**
   * Native and ImageIO pixels may differ by IDCT and upsampling rounding. On ImageIO-written files
   * (baseline and progressive; 4:4:4, 4:2:2, 4:4:0, 4:2:0; gray) libjpeg-turbo 2.1.5 and the JDK's
   * libjpeg 6b measure identical (max 0, mean 0); one level of slack each way covers another
   * libjpeg-turbo build's rounding.
   */
  private static final int MAX_PIXEL_DIFFERENCE = 2;

  private static final double MEAN_PIXEL_DIFFERENCE = 0.05;

  private final ImageDecoder imageIo =
      ImageDecoder.builder().optJpegCodec(JpegCodec.IMAGEIO).build();
  private ImageDecoder nativeDecoder;

  /** Per test rather than per class, so that a report counts each skipped test. */
  @BeforeEach
  void requireLibturbojpeg() {
    RequiredPackage.assumeInstalled(TurboJpeg.loaded().isPresent(), "libturbojpeg0");
    nativeDecoder = ImageDecoder.builder().optJpegCodec(JpegCodec.NATIVE).build();
  }

  @Test
  void autoPicksNativeWhereLibturbojpegLoads() {
    assertThat(ImageDecoder.builder().optJpegCodec(JpegCodec.AUTO).build().jpegCodec())
        .isEqualTo(JpegCodec.NATIVE);
    assertThat(nativeDecoder.jpegCodec()).isEqualTo(JpegCodec.NATIVE);
  }

  @Test
  void decodesLikeImageIoWithinRounding() throws Exception {
    List<Case> cases = new ArrayList<>();
    for (int[] size : new int[][] {{16, 8}, {64, 64}, {97, 61}}) {
      for (int quality : new int[] {50, 90, 100}) {
        BufferedImage colour = TestJpegs.photoLike(size[0], size[1], quality);
        BufferedImage gray = TestJpegs.photoLikeGray(size[0], size[1], quality);
        cases.add(new Case("colour " + Arrays.toString(size), TestJpegs.jpeg(colour, quality), 3));
        cases.add(new Case("gray " + Arrays.toString(size), TestJpegs.jpeg(gray, quality), 1));
      }
    }
    BufferedImage photo = TestJpegs.photoLike(640, 480, 1);
    for (Chroma chroma : Chroma.values()) {
      cases.add(new Case("photo " + chroma, TestJpegs.jpeg(photo, 75, chroma, false), 3));
    }
    cases.add(new Case("progressive photo", TestJpegs.jpeg(photo, 75, Chroma.S420, true), 3));
    cases.add(new Case("gray photo", TestJpegs.jpeg(TestJpegs.photoLikeGray(640, 480, 1), 75), 1));

    for (Case c : cases) {
      DecodedImage expected = imageIo.decode(ContentTypes.JPEG, c.jpeg(), null, null, null);
      DecodedImage actual = nativeDecoder.decode(ContentTypes.JPEG, c.jpeg(), null, null, null);

      assertThat(shape(actual)).as(c.name()).isEqualTo(shape(expected));
      assertThat(actual.channels()).as(c.name()).isEqualTo(c.channels());
      int max = 0;
      long sum = 0;
      for (int i = 0; i < actual.pixels().length; i++) {
        int difference = Math.abs((actual.pixels()[i] & 0xff) - (expected.pixels()[i] & 0xff));
        max = Math.max(max, difference);
        sum += difference;
      }
      assertThat(max)
          .as(c.name() + ": largest difference")
          .isLessThanOrEqualTo(MAX_PIXEL_DIFFERENCE);
      assertThat((double) sum / actual.pixels().length)
          .as(c.name() + ": mean difference")
          .isLessThanOrEqualTo(MEAN_PIXEL_DIFFERENCE);
    }
  }

  @Test
  void refusesTruncatedJpegWithoutFallingBackToImageIo() {
    byte[] jpeg = TestJpegs.jpeg(noise(64, 48), 75);
    // Without its last two bytes (the EOI marker) a JPEG still decodes, with a warning.
    for (int length : new int[] {jpeg.length / 2, jpeg.length - 2, jpeg.length - 1}) {
      assertRejected(nativeDecoder, Arrays.copyOf(jpeg, length), Reason.UNDECODABLE)
          .hasMessageContaining("expected a complete image/jpeg")
          .hasMessageContaining("libjpeg-turbo: tjDecompress2 warned: Premature end of JPEG file");
    }
    // A header TurboJPEG cannot read goes to ImageIO, which refuses it as before.
    assertRejected(nativeDecoder, Arrays.copyOf(jpeg, 40), Reason.UNDECODABLE)
        .hasMessageContaining("expected a complete image/jpeg image but 40 bytes");
  }

  @Test
  void refusesCorruptEntropyDataThatOnlyDecodesWithWarnings() {
    byte[] jpeg = TestJpegs.jpeg(noise(64, 48), 75);
    int middle = jpeg.length * 3 / 4;
    byte[] unexpectedMarker = jpeg.clone();
    unexpectedMarker[middle] = (byte) 0xff;
    unexpectedMarker[middle + 1] = (byte) 0xd5;
    byte[] scrambled = jpeg.clone();
    for (int i = middle; i < middle + 50; i++) {
      scrambled[i] = (byte) (i * 37);
    }

    assertRejected(nativeDecoder, unexpectedMarker, Reason.UNDECODABLE)
        .hasMessageContaining("warned: Corrupt JPEG data");
    assertRejected(nativeDecoder, scrambled, Reason.UNDECODABLE)
        .hasMessageContaining("warned: Corrupt JPEG data");
  }

  @Test
  void refusesHeaderBombFromItsHeaderBeforeAllocatingPixels() {
    byte[] bomb = TestJpegs.withDeclaredSize(TestJpegs.jpeg(noise(16, 8), 90), 60_000, 60_000);

    long start = System.nanoTime();
    // 60000 × 60000 × 3 bytes would not even fit a Java array: only the header was read.
    assertRejected(nativeDecoder, bomb, Reason.TOO_LARGE)
        .hasMessageContaining("header declares 60000x60000 pixels, over the limit of 40000000")
        .hasMessageContaining("refused without decoding it");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
    assertRejected(imageIo, bomb, Reason.TOO_LARGE)
        .hasMessageContaining("header declares 60000x60000 pixels");
  }

  @Test
  void checksThePixelLimitOnTheFullSizeEvenWhenDecodingSmaller() {
    byte[] photo = TestJpegs.jpeg(TestJpegs.photoLike(640, 480, 2), 75);
    ImageDecoder limited =
        ImageDecoder.builder().optJpegCodec(JpegCodec.NATIVE).optMaxPixels(640 * 480 - 1).build();

    ImageRejectedException e =
        catchThrowableOfType(
            ImageRejectedException.class,
            () -> limited.decode(ContentTypes.JPEG, photo, null, null, null, 224, 224));

    assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
    assertThat(e).hasMessageContaining("header declares 640x480 pixels");
  }

  @Test
  void decodesCmykThroughImageIoExactlyAsBefore() throws Exception {
    byte[] cmyk = TestJpegs.cmykJpeg(16, 8);

    DecodedImage expected = imageIo.decode(ContentTypes.JPEG, cmyk, null, null, null);
    DecodedImage actual = nativeDecoder.decode(ContentTypes.JPEG, cmyk, null, null, null, 2, 1);

    assertThat(shape(actual)).containsExactly(16, 8, 3);
    assertThat(actual.pixels()).containsExactly(expected.pixels());
  }

  /**
   * The one deliberate difference: like PIL, OpenCV and torchvision, the native decoder does not
   * apply an embedded ICC profile, where ImageIO converts through it to sRGB.
   */
  @Test
  void takesSamplesAsTheyAreWhereImageIoAppliesAnEmbeddedIccProfile() throws Exception {
    byte[] plain = TestJpegs.jpeg(TestJpegs.photoLike(16, 8, 1), 90);
    byte[] linear =
        TestJpegs.withIccProfile(plain, ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB));

    DecodedImage withoutProfile = nativeDecoder.decode(ContentTypes.JPEG, plain, null, null, null);
    DecodedImage withProfile = nativeDecoder.decode(ContentTypes.JPEG, linear, null, null, null);
    DecodedImage converted = imageIo.decode(ContentTypes.JPEG, linear, null, null, null);

    assertThat(withProfile.pixels()).containsExactly(withoutProfile.pixels());
    assertThat(converted.pixels()).isNotEqualTo(withoutProfile.pixels());
  }

  @Test
  void decodesAtTheStrongestReductionThatStillCoversTheWantedSize() throws Exception {
    byte[] photo = TestJpegs.jpeg(TestJpegs.photoLike(640, 480, 3), 75);
    byte[] gray = TestJpegs.jpeg(TestJpegs.photoLikeGray(640, 480, 3), 75);
    byte[] odd = TestJpegs.jpeg(TestJpegs.photoLike(1001, 751, 3), 75);

    assertThat(shape(decode(photo, 224, 224))).containsExactly(320, 240, 3); // 1/2
    assertThat(shape(decode(photo, 100, 100))).containsExactly(160, 120, 3); // 1/4
    assertThat(shape(decode(photo, 80, 60))).containsExactly(80, 60, 3); // 1/8
    assertThat(shape(decode(photo, 81, 60))).containsExactly(160, 120, 3); // 1/8 is 1 too narrow
    assertThat(shape(decode(photo, 400, 100))).containsExactly(640, 480, 3); // 1/2 too narrow
    assertThat(shape(decode(photo, 0, 0))).containsExactly(640, 480, 3);
    assertThat(shape(decode(gray, 224, 224))).containsExactly(320, 240, 1);
    assertThat(shape(decode(odd, 120, 90))).containsExactly(126, 94, 3); // rounded up
    assertThat(shape(imageIo.decode(ContentTypes.JPEG, photo, null, null, null, 224, 224)))
        .as("ImageIO decodes at full size")
        .containsExactly(640, 480, 3);
  }

  @Test
  void decodesALargePhotoForA224ModelAtOneEighth() throws Exception {
    BufferedImage large = new BufferedImage(4000, 3000, BufferedImage.TYPE_INT_RGB);
    byte[] jpeg = TestJpegs.jpeg(large, 75);

    assertThat(shape(decode(jpeg, 224, 224))).containsExactly(500, 375, 3);
  }

  /**
   * Reduced decoding averages in the DCT domain; {@link ImagePreprocessor}'s bilinear resize does
   * not antialias. So decoding smaller and then resizing lands nearer an area-averaged
   * (antialiased) downscale than full decoding and resizing does, and close to it.
   */
  @Test
  void reducedDecodeThenResizeIsNearerAnAntialiasedDownscaleThanFullDecode() throws Exception {
    ImagePreprocessor model =
        ImagePreprocessor.of(
            new InputShape(3, 224, 224),
            new Normalization(List.of(0f, 0f, 0f), List.of(1f, 1f, 1f)));
    for (int[] size : new int[][] {{640, 480}, {1280, 960}}) {
      byte[] jpeg = TestJpegs.jpeg(TestJpegs.photoLike(size[0], size[1], 3), 75);
      DecodedImage full = nativeDecoder.decode(ContentTypes.JPEG, jpeg, null, null, null);
      float[] reference = AreaAverage.resize(full, 224, 224);

      float[] fromFull = levels(model, full);
      float[] fromReduced = levels(model, decode(jpeg, 224, 224));

      String name = size[0] + "x" + size[1];
      assertThat(meanDifference(fromReduced, reference))
          .as(name + ": reduced decode vs area average")
          .isLessThan(meanDifference(fromFull, reference))
          .isLessThan(2.5);
      assertThat(meanDifference(fromReduced, fromFull))
          .as(name + ": reduced vs full decode")
          .isLessThan(6);
    }
  }

  @Test
  void decodesOnManyThreadsAtOnceWithAHandleEach() throws Exception {
    List<byte[]> jpegs = new ArrayList<>();
    List<byte[]> expected = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      jpegs.add(TestJpegs.jpeg(TestJpegs.photoLike(64, 64, i), 90));
      expected.add(imageIo.decode(ContentTypes.JPEG, jpegs.get(i), null, null, null).pixels());
    }
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(
            threads.submit(
                () -> {
                  for (int n = 0; n < 200; n++) {
                    int i = n % jpegs.size();
                    byte[] pixels =
                        nativeDecoder
                            .decode(ContentTypes.JPEG, jpegs.get(i), null, null, null)
                            .pixels();
                    if (!Arrays.equals(pixels, expected.get(i))) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  private DecodedImage decode(byte[] jpeg, int minWidth, int minHeight)
      throws ImageRejectedException {
    return nativeDecoder.decode(ContentTypes.JPEG, jpeg, null, null, null, minWidth, minHeight);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(
      ImageDecoder decoder, byte[] data, Reason reason) {
    ImageRejectedException e =
        catchThrowableOfType(
            ImageRejectedException.class,
            () -> decoder.decode(ContentTypes.JPEG, data, null, null, null));
    assertThat(e).as("rejection of " + data.length + " bytes").isNotNull();
    assertThat(e.reason()).isEqualTo(reason);
    return assertThat((Throwable) e);
  }

  private static List<Integer> shape(DecodedImage image) {
    return List.of(image.width(), image.height(), image.channels());
  }

  /** The preprocessed tensor in pixel levels (identity normalization, times 255). */
  private static float[] levels(ImagePreprocessor model, DecodedImage image) {
    float[] tensor = new float[model.tensorSize()];
    model.writeTensor(image, tensor, 0);
    for (int i = 0; i < tensor.length; i++) {
      tensor[i] *= 255f;
    }
    return tensor;
  }

  private static double meanDifference(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs(a[i] - b[i]);
    }
    return sum / a.length;
  }

  /** Noise compresses badly: a long entropy-coded segment to cut or corrupt. */
  private static BufferedImage noise(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < width * height; i++) {
      image.setRGB(i % width, i / width, (int) ((i * 2654435761L) >>> 7));
    }
    return image;
  }

  private record Case(String name, byte[] jpeg, int channels) {}
}
