package io.glimpse.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.model.artifact.InputShape;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageFitterTest {

  private static final ImageDataset WHITE_28 =
      new InMemoryImageDataset(List.of("a", "b"), 1, 28, 28, filled(2 * 28 * 28), new int[] {0, 1});

  @Test
  void padCentresTheImageOnBlack() {
    ImageDataset fitted = ImageFitter.fit(WHITE_28, new InputShape(1, 32, 32), FitMode.PAD);
    byte[] pixels = fitted.image(1).pixels();
    assertThat(fitted.label(1)).isEqualTo(1);
    assertThat(pixels[32 + 1]).isZero(); // row 1, column 1: border
    assertThat(pixels[2 * 32 + 2] & 0xff).isEqualTo(255); // row 2, column 2: image
    assertThat(pixels[29 * 32 + 29] & 0xff).isEqualTo(255);
    assertThat(pixels[30 * 32 + 30]).isZero();
  }

  @Test
  void resizeStretchesAndConvertsChannels() {
    ImageDataset fitted = ImageFitter.fit(WHITE_28, new InputShape(3, 32, 32), FitMode.RESIZE);
    assertThat(fitted.channels()).isEqualTo(3);
    byte[] pixels = fitted.image(0).pixels();
    for (byte p : pixels) {
      assertThat(p & 0xff).isEqualTo(255);
    }
  }

  @Test
  void aDatasetOfTheRightShapeIsUsedAsItIs() {
    assertThat(ImageFitter.fit(WHITE_28, new InputShape(1, 28 + 4, 32), FitMode.PAD))
        .isNotSameAs(WHITE_28);
    ImageDataset same =
        new InMemoryImageDataset(List.of("a"), 1, 32, 32, new byte[32 * 32], new int[] {0});
    assertThat(ImageFitter.fit(same, new InputShape(1, 32, 32), FitMode.PAD)).isSameAs(same);
  }

  private static byte[] filled(int n) {
    byte[] bytes = new byte[n];
    Arrays.fill(bytes, (byte) 255);
    return bytes;
  }
}
