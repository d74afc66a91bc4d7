package io.glimpse.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code bench scaleout}'s arithmetic ({@link ScaleOutReport}) on synthetic predictions. */
class ScaleOutReportTest {

  /**
   * One prediction every 10 ms from 0 to 10 s, published 50 ms before it was read, none read from
   * 4.0 to 6.5 s (a rebalance), processed 20 ms before it was read.
   */
  private static List<ReloadObserver.Seen> predictions() {
    List<ReloadObserver.Seen> seen = new ArrayList<>();
    for (long read = 0; read < 10_000; read += 10) {
      if (read >= 4_000 && read < 6_500) {
        continue;
      }
      seen.add(new ReloadObserver.Seen(read - 20, "1", 0, "image-" + read, read - 50, read));
    }
    return seen;
  }

  @Test
  void theLongestGapIsTheRebalance() {
    List<ReloadObserver.Seen> seen = predictions();
    assertThat(ScaleOutReport.longestGap(seen, 0, 10_000, ReloadObserver.Seen::readMillis))
        .isEqualTo(2_510);
    assertThat(ScaleOutReport.longestGap(seen, 0, 3_000, ReloadObserver.Seen::readMillis))
        .isEqualTo(10);
    // A window with no prediction at all is one gap as long as the window.
    assertThat(ScaleOutReport.longestGap(seen, 4_100, 6_100, ReloadObserver.Seen::readMillis))
        .isEqualTo(2_000);
  }

  @Test
  void throughputAndLatencyComeFromTheirOwnClocks() {
    List<ReloadObserver.Seen> seen = predictions();
    assertThat(ScaleOutReport.throughput(seen, 0, 4_000)).isCloseTo(100.0, within(1.0));
    Map<String, Object> latency = ScaleOutReport.latency(seen, 0, 10_000);
    assertThat(latency.get("p50_ms")).isEqualTo(50.0);
    assertThat(latency.get("p99_ms")).isEqualTo(50.0);
    assertThat(ScaleOutReport.timeline(seen, 3_000, 5_000)).containsExactly(50L, 50L, 0L, 0L);
  }

  @Test
  void errorsCountDuplicatesMissingAndUnexpectedDeadLetters() {
    List<ReloadObserver.Seen> seen = new ArrayList<>(predictions());
    seen.add(seen.get(0));
    Map<String, Object> errors = ScaleOutReport.errors(seen, seen.size() + 2, 2, 1);
    assertThat(errors)
        .containsEntry("duplicates", 1)
        .containsEntry("missing", 1)
        .containsEntry("unexpected_dead_letters", 1)
        .containsEntry("total", 3);
  }

  private static org.assertj.core.data.Offset<Double> within(double offset) {
    return org.assertj.core.data.Offset.offset(offset);
  }
}
