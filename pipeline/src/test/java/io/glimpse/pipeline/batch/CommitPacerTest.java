package io.glimpse.pipeline.batch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The pacer's arithmetic, on a clock the test drives (nanoseconds). */
class CommitPacerTest {
  private static final long MS = 1_000_000L;
  private static final long START = 5_000 * MS;

  @Test
  void anIdleThreadCommitsAtOnceAndSpacesRequestsByTheCommitCostOverItsSpareShare() {
    CommitPacer pacer = new CommitPacer(() -> 15, 200);

    assertThat(pacer.requestNow(START)).as("the first request").isTrue();
    // Idle thread: spare share 0.5 × (1 − 0), so requests are 15 / 0.5 = 30 ms apart.
    assertThat(pacer.requestNow(START + 10 * MS)).isFalse();
    assertThat(pacer.due(START + 29 * MS)).isFalse();
    assertThat(pacer.due(START + 30 * MS)).as("the deferred request falls due").isTrue();
    assertThat(pacer.due(START + 31 * MS)).as("and counts as made").isFalse();
    assertThat(pacer.requestNow(START + 61 * MS)).isTrue();
  }

  @Test
  void aBusyThreadLeavesCommitsToTheCommitInterval() {
    CommitPacer pacer = new CommitPacer(() -> 15, 200);
    pacer.busy(START, 0);
    // 950 ms of the first second in batches: spare 0.5 × 0.05, spacing 600 ms > 200 ms.
    pacer.busy(START + 999 * MS, 950 * MS);

    assertThat(pacer.busyShare(START + 1_000 * MS)).isCloseTo(0.95, within(0.01));
    assertThat(pacer.requestNow(START + 1_001 * MS)).isFalse();
    assertThat(pacer.due(START + 2_000 * MS)).as("nothing deferred either").isFalse();
  }

  @Test
  void halfBusyMeansLongerSpacingAndAnUnknownCostCountsAsTwentyMilliseconds() {
    CommitPacer pacer = new CommitPacer(() -> Double.NaN, 200);
    pacer.busy(START, 0);
    pacer.busy(START + 999 * MS, 500 * MS);

    assertThat(pacer.requestNow(START + 1_000 * MS)).isTrue();
    // 50 ms later the busy share is 0.95 × 0.5 (last second) + 0.05 × 0 (this one) = 0.475:
    // 20 ms / (0.5 × 0.525) = 76 ms, about the 80 ms of a thread busy half the time.
    assertThat(pacer.requestNow(START + 1_050 * MS)).isFalse();
    assertThat(pacer.due(START + 1_070 * MS)).isFalse();
    assertThat(pacer.due(START + 1_077 * MS)).isTrue();
  }

  private static org.assertj.core.data.Offset<Double> within(double offset) {
    return org.assertj.core.data.Offset.offset(offset);
  }
}
