package io.glimpse.model.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopKTest {

  @Test
  void returnsBestFirst() {
    float[] p = {0.1f, 0.5f, 0.05f, 0.3f, 0.05f};

    assertThat(TopK.of(p, 3))
        .containsExactly(
            new ScoredClass(1, 0.5f), new ScoredClass(3, 0.3f), new ScoredClass(0, 0.1f));
    assertThat(TopK.of(p, 1)).containsExactly(new ScoredClass(1, 0.5f));
  }

  @Test
  void breaksTiesByLowerIndex() {
    float[] p = {0.2f, 0.3f, 0.2f, 0.3f, 0f};

    assertThat(TopK.of(p, 4)).extracting(ScoredClass::classIndex).containsExactly(1, 3, 0, 2);
    assertThat(TopK.of(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, 2))
        .extracting(ScoredClass::classIndex)
        .containsExactly(0, 1);
  }

  @Test
  void returnsEveryClassWhenKIsLargerAndPutsNanLast() {
    float[] p = {Float.NaN, 0.1f, 0.9f};

    assertThat(TopK.of(p, 10)).extracting(ScoredClass::classIndex).containsExactly(2, 1, 0);
    assertThat(TopK.of(new float[0], 3)).isEmpty();
  }

  @Test
  void refusesKBelowOne() {
    assertThatThrownBy(() -> TopK.of(new float[] {1f}, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("k must be at least 1, got 0");
  }
}
