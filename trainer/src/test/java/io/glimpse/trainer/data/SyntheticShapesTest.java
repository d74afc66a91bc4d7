package io.glimpse.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.model.artifact.InputShape;
import org.junit.jupiter.api.Test;

class SyntheticShapesTest {

  private static final InputShape RGB = new InputShape(3, 32, 32);

  @Test
  void theSameSeedDrawsTheSameImages() {
    DatasetOptions options = DatasetOptions.defaults().withLimit(200).withSeed(3);
    DataSplits a = SyntheticShapes.source(options, RGB).load();
    DataSplits b = SyntheticShapes.source(options, RGB).load();
    DataSplits other = SyntheticShapes.source(options.withSeed(4), RGB).load();

    assertThat(a.train().size()).isEqualTo(180);
    assertThat(a.validation().size()).isEqualTo(20);
    assertThat(a.testSet().orElseThrow().size()).isEqualTo(33);
    assertThat(a.train().image(5).pixels()).isEqualTo(b.train().image(5).pixels());
    assertThat(a.train().image(5).pixels()).isNotEqualTo(other.train().image(5).pixels());
  }

  @Test
  void everyClassIsDrawnWithContrastAndInBothChannelCounts() {
    DatasetOptions options = DatasetOptions.defaults().withLimit(100);
    ImageDataset gray = SyntheticShapes.source(options, new InputShape(1, 40, 40)).load().train();
    int[] perClass = new int[10];
    for (int i = 0; i < gray.size(); i++) {
      perClass[gray.label(i)]++;
      byte[] pixels = gray.image(i).pixels();
      int min = 255;
      int max = 0;
      for (byte p : pixels) {
        min = Math.min(min, p & 0xff);
        max = Math.max(max, p & 0xff);
      }
      assertThat(max - min).as("contrast of image %d", i).isGreaterThan(50);
    }
    assertThat(perClass).containsOnly(9);
    assertThat(gray.width()).isEqualTo(40);
  }
}
