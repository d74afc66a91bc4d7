package io.glimpse.model.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.Normalization;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact values on tiny inputs; the model's smallest input is 32×32. */
class ImagePreprocessorTest {

  private static final int SIZE = 32;
  private static final int PLANE = SIZE * SIZE;
  private static final Normalization GRAY_IDENTITY = new Normalization(List.of(0f), List.of(1f));
  private static final Normalization RGB_IDENTITY =
      new Normalization(List.of(0f, 0f, 0f), List.of(1f, 1f, 1f));

  @Test
  void keepsPixelsExactlyWhenSizesMatch() {
    byte[] pixels = new byte[PLANE];
    for (int i = 0; i < PLANE; i++) {
      pixels[i] = (byte) (i * 7);
    }

    float[] out = write(gray(), new DecodedImage(SIZE, SIZE, 1, pixels));

    for (int i = 0; i < PLANE; i++) {
      assertThat(out[i]).as("pixel %d", i).isEqualTo((pixels[i] & 0xff) / 255f, within(1e-7f));
    }
  }

  @Test
  void upscalesTwoByTwoBilinearlyWithAlignedPixelCentres() {
    byte[] pixels = {0, (byte) 160, 80, (byte) 240};

    float[] out = write(gray(), new DecodedImage(2, 2, 1, pixels));

    // Output pixel i samples the source at (i + 0.5) / 16 - 0.5: 0 up to i = 7, 1 from i = 24.
    assertThat(at(out, 0, 0, 0)).isEqualTo(0f);
    assertThat(at(out, 0, 7, 7)).isEqualTo(0f);
    assertThat(at(out, 0, 0, 31)).isEqualTo(160 / 255f, within(1e-7f));
    assertThat(at(out, 0, 31, 0)).isEqualTo(80 / 255f, within(1e-7f));
    assertThat(at(out, 0, 31, 31)).isEqualTo(240 / 255f, within(1e-7f));
    assertThat(at(out, 0, 0, 8)).isEqualTo(0.03125f * 160 / 255f, within(1e-7f));
    // Row 8: top 5, bottom 80 + 0.03125 * 160 = 85, so 5 + 0.03125 * 80 = 7.5.
    assertThat(at(out, 0, 8, 8)).isEqualTo(7.5f / 255f, within(1e-7f));
    // Row and column 16 sample at 0.53125: top 85, bottom 165, so 127.5.
    assertThat(at(out, 0, 16, 16)).isEqualTo(127.5f / 255f, within(1e-7f));
  }

  @Test
  void normalizesAsPixelOver255MinusMeanOverStd() {
    ImagePreprocessor preprocessor =
        ImagePreprocessor.of(
            new InputShape(1, SIZE, SIZE), new Normalization(List.of(0.5f), List.of(0.25f)));
    byte[] pixels = new byte[PLANE];
    pixels[1] = (byte) 255;
    pixels[2] = 51;

    float[] out = write(preprocessor, new DecodedImage(SIZE, SIZE, 1, pixels));

    assertThat(out[0]).isEqualTo(-2f, within(1e-6f));
    assertThat(out[1]).isEqualTo(2f, within(1e-6f));
    assertThat(out[2]).isEqualTo(-1.2f, within(1e-6f));
  }

  @Test
  void replicatesGrayIntoEveryRgbChannelWithItsOwnNormalization() {
    ImagePreprocessor preprocessor =
        ImagePreprocessor.of(
            new InputShape(3, SIZE, SIZE),
            new Normalization(List.of(0.1f, 0.2f, 0.3f), List.of(1f, 2f, 0.5f)));

    float[] out = write(preprocessor, constant(1, 102));

    for (int i = 0; i < PLANE; i++) {
      assertThat(out[i]).isEqualTo(0.3f, within(1e-6f));
      assertThat(out[PLANE + i]).isEqualTo(0.1f, within(1e-6f));
      assertThat(out[2 * PLANE + i]).isEqualTo(0.2f, within(1e-6f));
    }
  }

  @Test
  void convertsRgbAndRgbaToGrayByLuminance() {
    for (int channels : new int[] {3, 4}) {
      byte[] pixels = new byte[PLANE * channels];
      pixels[0] = (byte) 255; // pixel 0: red
      pixels[channels + 1] = (byte) 255; // pixel 1: green
      pixels[2 * channels + 2] = (byte) 255; // pixel 2: blue
      if (channels == 4) {
        pixels[3] = (byte) 255; // alpha of pixel 0: ignored
      }

      float[] out = write(gray(), new DecodedImage(SIZE, SIZE, channels, pixels));

      assertThat(new float[] {out[0], out[1], out[2], out[3]})
          .containsExactly(new float[] {0.299f, 0.587f, 0.114f, 0f}, within(1e-6f));
    }
  }

  @Test
  void writesChannelMajorAndDropsAlphaForRgbModels() {
    byte[] pixels = new byte[PLANE * 4];
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        int p = (y * SIZE + x) * 4;
        pixels[p] = (byte) x;
        pixels[p + 1] = (byte) y;
        pixels[p + 2] = 7;
        pixels[p + 3] = (byte) 200;
      }
    }

    float[] out =
        write(ImagePreprocessor.of(new InputShape(3, SIZE, SIZE), RGB_IDENTITY), image4(pixels));

    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        assertThat(at(out, 0, y, x)).isEqualTo(x / 255f, within(1e-7f));
        assertThat(at(out, 1, y, x)).isEqualTo(y / 255f, within(1e-7f));
        assertThat(at(out, 2, y, x)).isEqualTo(7 / 255f, within(1e-7f));
      }
    }
  }

  @Test
  void writesAtTheOffsetAndRefusesWhatDoesNotFit() {
    ImagePreprocessor preprocessor = gray();
    float[] batch = new float[2 * preprocessor.tensorSize()];

    preprocessor.writeTensor(constant(1, 255), batch, preprocessor.tensorSize());

    assertThat(preprocessor.tensorSize()).isEqualTo(PLANE);
    assertThat(preprocessor.inputShape()).isEqualTo(new InputShape(1, SIZE, SIZE));
    assertThat(batch[PLANE - 1]).isZero();
    assertThat(batch[PLANE]).isEqualTo(1f);
    assertThat(batch[2 * PLANE - 1]).isEqualTo(1f);
    assertThatThrownBy(() -> preprocessor.writeTensor(constant(1, 1), batch, PLANE + 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void refusesNormalizationForAnotherChannelCount() {
    assertThatThrownBy(() -> ImagePreprocessor.of(new InputShape(3, SIZE, SIZE), GRAY_IDENTITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("normalization has 1 channel(s) but the input shape")
        .hasMessageContaining("give one mean and std per input channel");
  }

  private static ImagePreprocessor gray() {
    return ImagePreprocessor.of(new InputShape(1, SIZE, SIZE), GRAY_IDENTITY);
  }

  private static DecodedImage constant(int channels, int value) {
    byte[] pixels = new byte[PLANE * channels];
    Arrays.fill(pixels, (byte) value);
    return new DecodedImage(SIZE, SIZE, channels, pixels);
  }

  private static DecodedImage image4(byte[] pixels) {
    return new DecodedImage(SIZE, SIZE, 4, pixels);
  }

  private static float[] write(ImagePreprocessor preprocessor, DecodedImage image) {
    float[] out = new float[preprocessor.tensorSize()];
    preprocessor.writeTensor(image, out, 0);
    return out;
  }

  private static float at(float[] chw, int channel, int y, int x) {
    return chw[channel * PLANE + y * SIZE + x];
  }
}
