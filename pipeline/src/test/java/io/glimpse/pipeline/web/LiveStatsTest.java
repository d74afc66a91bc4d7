package io.glimpse.pipeline.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LiveStatsTest {

  private static void add(LiveStats stats, long timeMs, long latencyMs, Boolean correct) {
    stats.count(timeMs);
    stats.sample(timeMs, latencyMs, correct);
  }

  @Test
  void countsEveryPredictionButTakesLatencyAndAccuracyFromTheSample() {
    LiveStats stats = new LiveStats();
    long now = 7_000_000_500L;
    for (int i = 0; i < 1000; i++) {
      stats.count(now);
    }
    for (int i = 0; i < 10; i++) {
      stats.sample(now, 30, i < 9);
    }
    LiveStats.Snapshot s = stats.snapshot(now);
    assertThat(s.ratePerSecond()).isEqualTo(1000.0);
    assertThat(s.p50Ms()).isEqualTo(30);
    assertThat(s.accuracy()).isEqualTo(0.9);
    assertThat(s.labelled()).isEqualTo(10);
  }

  @Test
  void summarisesTheLastMinuteOnly() {
    LiveStats stats = new LiveStats();
    long now = 1_000_000_700L;
    add(stats, now - 120_000, 5_000, false); // two minutes ago: outside the window
    for (int i = 0; i < 98; i++) {
      add(stats, now - 500, 10, true);
    }
    add(stats, now - 1_500, 200, false);
    add(stats, now - 1_500, 3_000, null);

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
    add(stats, t, 10, true);
    add(stats, t + (LiveStats.SECONDS + 1) * 1000L, 20, null);
    LiveStats.Snapshot s = stats.snapshot(t + (LiveStats.SECONDS + 1) * 1000L);
    assertThat(s.ratePerSecond()).isEqualTo(1.0);
    assertThat(s.accuracy()).isNull();
  }
}
