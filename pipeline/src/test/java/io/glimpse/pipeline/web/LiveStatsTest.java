package io.glimpse.pipeline.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LiveStatsTest {

  @Test
  void summarisesTheLastMinuteOnly() {
    LiveStats stats = new LiveStats();
    long now = 1_000_000_700L;
    stats.add(now - 120_000, 5_000, false); // two minutes ago: outside the window
    for (int i = 0; i < 98; i++) {
      stats.add(now - 500, 10, true);
    }
    stats.add(now - 1_500, 200, false);
    stats.add(now - 1_500, 3_000, null);

    LiveStats.Snapshot s = stats.snapshot(now);

    assertThat(s.points()).hasSize(LiveStats.SECONDS);
    assertThat(s.ratePerSecond()).as("100 in the last two seconds").isEqualTo(50.0);
    assertThat(s.p50Ms()).isEqualTo(10);
    assertThat(s.p99Ms()).isEqualTo(200);
    assertThat(s.labelled()).isEqualTo(99);
    assertThat(s.accuracy()).isEqualTo(98.0 / 99);
    LiveStats.Point last = s.points().get(s.points().size() - 1);
    assertThat(last.count()).isEqualTo(98);
    assertThat(last.accuracy()).isEqualTo(1.0);
    LiveStats.Point before = s.points().get(s.points().size() - 2);
    assertThat(before.count()).isEqualTo(2);
    assertThat(before.p99Ms()).isEqualTo(3_000);
    assertThat(before.accuracy()).isEqualTo(0.0);
  }

  @Test
  void aSlotReusedAMinuteLaterStartsAfresh() {
    LiveStats stats = new LiveStats();
    long t = 5_000_000L;
    stats.add(t, 10, true);
    stats.add(t + (LiveStats.SECONDS + 1) * 1000L, 20, null);
    LiveStats.Snapshot s = stats.snapshot(t + (LiveStats.SECONDS + 1) * 1000L);
    assertThat(s.ratePerSecond()).isEqualTo(1.0);
    assertThat(s.accuracy()).isNull();
  }
}
