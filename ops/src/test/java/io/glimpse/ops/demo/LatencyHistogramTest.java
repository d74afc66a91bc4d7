package io.glimpse.ops.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  private final LatencyHistogram histogram = new LatencyHistogram();

  @Test
  void smallValuesAreExact() {
    for (long ms = 1; ms <= 60; ms++) {
      histogram.record(ms);
    }

    assertThat(histogram.count()).isEqualTo(60);
    assertThat(histogram.percentile(50)).isEqualTo(30);
    assertThat(histogram.percentile(99)).isEqualTo(60);
    assertThat(histogram.percentile(100)).isEqualTo(60);
  }

  @Test
  void largeValuesAreWithinThreePercentAndNeverUnderstated() {
    for (long ms : new long[] {64, 100, 1_000, 12_345, 3_600_000, Long.MAX_VALUE / 2}) {
      LatencyHistogram one = new LatencyHistogram();
      one.record(ms);

      assertThat(one.percentile(50)).isBetween(ms, ms + ms / 32);
    }
    histogram.record(Long.MAX_VALUE);
    assertThat(histogram.percentile(50)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void percentilesOfAMixedRun() {
    for (int i = 0; i < 990; i++) {
      histogram.record(100);
    }
    for (int i = 0; i < 10; i++) {
      histogram.record(2_000);
    }

    assertThat(histogram.percentile(50)).isBetween(100L, 103L);
    assertThat(histogram.percentile(99)).isBetween(100L, 103L);
    assertThat(histogram.percentile(99.9)).isBetween(2_000L, 2_062L);
  }

  @Test
  void emptyReadsZeroAndNegativeCountsAsZero() {
    assertThat(histogram.percentile(50)).isZero();

    histogram.record(-5);

    assertThat(histogram.percentile(50)).isZero();
  }
}
