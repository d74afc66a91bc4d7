package io.glimpse.pipeline.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PsiTest {

  @Test
  void equalSharesGiveZeroWhateverTheCounts() {
    assertThat(Psi.of(Map.of("a", 10L, "b", 30L), Map.of("a", 100L, "b", 300L)))
        .isCloseTo(0, within(1e-3));
  }

  @Test
  void aShiftedDistributionGivesTheTextbookValue() {
    // shares 0.5/0.5 -> 0.8/0.2: (0.3 ln 1.6) + (-0.3 ln 0.4) = 0.416
    assertThat(Psi.of(Map.of("a", 5000L, "b", 5000L), Map.of("a", 8000L, "b", 2000L)))
        .isCloseTo(0.416, within(1e-3));
  }

  @Test
  void aClassMissingOnOneSideStaysFinite() {
    double psi = Psi.of(Map.of("a", 50L, "b", 50L), Map.of("a", 100L));
    assertThat(psi).isFinite().isGreaterThan(1);
  }
}
