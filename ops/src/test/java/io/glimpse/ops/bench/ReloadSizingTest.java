package io.glimpse.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code bench reload}'s backlog sizing ({@link ReloadBacklog}) and its refusal to report a dip
 * without both steady windows ({@link ReloadReport#bothWindowsMeasured()}), on synthetic
 * predictions.
 */
class ReloadSizingTest {
  private static final ReloadSettings SETTINGS =
      new ReloadSettings(new PipelineShape(0.25f, 64, 4, 32), 6000, 0.0, 2, 2);

  @Test
  void theDrainRateIsTheMiddleOfTheProbe() {
    List<Long> times = new ArrayList<>();
    // A slow start (100 records over 1 s), 1,000 records/s for 8 s, a slow tail.
    for (int i = 0; i < 100; i++) {
      times.add(i * 10L);
    }
    for (int i = 0; i < 8000; i++) {
      times.add(1000L + i);
    }
    for (int i = 0; i < 100; i++) {
      times.add(9000 + i * 10L);
    }
    assertThat(ReloadBacklog.drainRate(times)).isBetween(990.0, 1010.0);
    assertThat(ReloadBacklog.drainRate(List.of())).isZero();
  }

  @Test
  void theBacklogOutlastsEveryWindowAtTheProbeRateWithTheMargin() {
    ReloadBacklog sizing = new ReloadBacklog(1000, 6);
    double windows =
        ReloadBacklog.JOIN_SECONDS
            + ReloadBacklog.SETTLE_SECONDS
            + 6
            + ReloadBacklog.SWAP_SECONDS
            + 6;
    assertThat(sizing.coveredSeconds()).isEqualTo(windows);
    assertThat(sizing.images()).isEqualTo((int) Math.ceil(1000 * windows * ReloadBacklog.MARGIN));
    // At the promote: the swap and the after window at the faster rate, plus a fifth.
    assertThat(sizing.neededAtPromote(500)).isBetween(12_000, 12_001);
    assertThat(sizing.neededAtPromote(2000)).isBetween(24_000, 24_001);
    // Twice the rate, twice the backlog.
    assertThat(new ReloadBacklog(2000, 6).images()).isEqualTo(2 * sizing.images());
  }

  @Test
  void aProbeWithoutARateSaysWhatToRaise() {
    assertThatThrownBy(() -> new ReloadBacklog(0, 6))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("--probe-images");
  }

  @Test
  void bothWindowsMeasuredGiveTheDipAgainstEach() {
    ReloadReport report = report(20_000);
    assertThat(report.bothWindowsMeasured()).isTrue();
    assertThat(report.missingWindows()).isEmpty();
    assertThat(report.number("steady_before_images_per_s")).isEqualTo(1000.0);
    assertThat(report.number("steady_after_images_per_s")).isEqualTo(1000.0);
    // 100 ms without predictions right after the promote: 0.1 s lost against either rate.
    assertThat(report.number("dip_fraction")).isCloseTo(0.1, within());
    assertThat(report.number("dip_fraction_vs_before")).isCloseTo(0.1, within());
    assertThat(report.number("dip_fraction_vs_after")).isCloseTo(0.1, within());
  }

  @Test
  void aBacklogThatRunsOutInTheAfterWindowFailsLoudly() {
    // The swap window ends 2 s after the last switch (10.3 s); the after window needs 2 s more.
    ReloadReport report = report(13_000);
    assertThat(report.bothWindowsMeasured()).isFalse();
    assertThat(report.number("dip_fraction")).isNaN();
    assertThat(report.fields().get("steady_after_images_per_s")).isNull();
    assertThat(report.missingWindows())
        .contains("not measured")
        .contains("--probe-images")
        .contains("before the end of the after-swap window");
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(0.005);
  }

  /**
   * One prediction a millisecond on partition 0 until {@code endMillis}, none from 10.0 to 10.1 s;
   * v2 promoted at 10 s and predicting from 10.3 s.
   */
  private static ReloadReport report(long endMillis) {
    List<ReloadObserver.Seen> seen = new ArrayList<>();
    for (long t = 0; t < endMillis; t++) {
      if (t >= 10_000 && t < 10_100) {
        continue;
      }
      seen.add(new ReloadObserver.Seen(t, t < 10_300 ? "1" : "2", 0, "bench-" + t));
    }
    ReloadReport.Run run =
        new ReloadReport.Run(
            seen.size(), 0, new ReloadBacklog(1000, 2), seen.size(), 10_000, List.of(10_250L), 1.0);
    return ReloadReport.of(SETTINGS, run, seen, 0);
  }
}
