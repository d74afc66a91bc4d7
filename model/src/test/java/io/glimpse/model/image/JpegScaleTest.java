package io.glimpse.model.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Choosing the reduced scale, without libturbojpeg. */
class JpegScaleTest {

  private static final List<JpegScale> REDUCTIONS =
      List.of(new JpegScale(1, 2), new JpegScale(1, 4), new JpegScale(1, 8));

  @Test
  void picksTheStrongestReductionStillCoveringTheWantedSize() {
    assertThat(strongest(4000, 3000, 224, 224)).isEqualTo(new JpegScale(1, 8)); // 500×375
    assertThat(strongest(640, 480, 224, 224)).isEqualTo(new JpegScale(1, 2)); // 320×240
    assertThat(strongest(1792, 1792, 224, 224)).isEqualTo(new JpegScale(1, 8)); // exactly 224
    assertThat(strongest(1785, 1785, 224, 224)).isEqualTo(new JpegScale(1, 8)); // 223.1 → 224
    assertThat(strongest(1784, 1784, 224, 224)).isEqualTo(new JpegScale(1, 4)); // 1/8 gives 223
  }

  @Test
  void decodesFullSizeWhenNoReductionCoversOrNoSizeIsAsked() {
    assertThat(strongest(300, 300, 224, 224)).isEqualTo(JpegScale.FULL);
    assertThat(strongest(100, 100, 224, 224)).isEqualTo(JpegScale.FULL);
    assertThat(strongest(4000, 3000, 0, 0)).isEqualTo(JpegScale.FULL);
    assertThat(strongest(4000, 3000, 0, 224)).isEqualTo(JpegScale.FULL);
    assertThat(JpegScale.strongest(List.of(), 4000, 3000, 1, 1)).isEqualTo(JpegScale.FULL);
  }

  @Test
  void roundsScaledDimensionsUpAsTurboJpegDoes() {
    assertThat(new JpegScale(1, 8).apply(1001)).isEqualTo(126);
    assertThat(new JpegScale(1, 2).apply(1)).isEqualTo(1);
    assertThat(JpegScale.FULL.apply(65_535)).isEqualTo(65_535);
  }

  private static JpegScale strongest(int width, int height, int minWidth, int minHeight) {
    return JpegScale.strongest(REDUCTIONS, width, height, minWidth, minHeight);
  }
}
