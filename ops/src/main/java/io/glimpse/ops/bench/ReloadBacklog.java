package io.glimpse.ops.bench;

import java.util.List;

/**
 * How many images {@code glimpse bench reload} publishes after its probe, computed from the drain
 * rate the probe measured, so that the backlog outlasts everything the report measures: the
 * instances joining, a settling second, the steady window before the promote, the swap window and
 * the steady window after it. The backlog is published while no instance runs, so none of it is
 * drained before it is all there.
 *
 * @param drainPerSecond records per second the instances predicted or dead-lettered in the probe
 * @param steadySeconds the steady windows' length
 */
record ReloadBacklog(double drainPerSecond, int steadySeconds) {
  /**
   * Head room over the probe's rate: the probe includes the JIT's warm-up, the backlog not, and on
   * the shared 2-core VM the rate swung 3x between the probe and the promote (346 against 1,045
   * records/s at load 22) with the other tenants' load.
   */
  static final double MARGIN = 3.0;

  /** From the instances' start to every instance serving v1 and every partition drained. */
  static final double JOIN_SECONDS = 4.0;

  /** From then to the start of the steady window before the promote. */
  static final double SETTLE_SECONDS = 1.0;

  /**
   * Allowed from the promote to the end of the swap window: the report's window ends 2 s after the
   * last partition switched, which happened 0.3-0.6 s after the promote in every run so far.
   */
  static final double SWAP_SECONDS = 4.0;

  /** Validates the rate. */
  ReloadBacklog {
    if (!(drainPerSecond > 0)) {
      throw new IllegalStateException(
          "The probe measured no drain rate (" + drainPerSecond + "/s); raise --probe-images");
    }
  }

  /**
   * The drain rate of a probe: the middle 60 % of its records over the time they took, which leaves
   * out the start (instances joining, the JIT) and the tail (partitions finishing one by one).
   *
   * @param processedMillis when each record was processed, in any order
   */
  static double drainRate(List<Long> processedMillis) {
    long[] sorted = processedMillis.stream().mapToLong(Long::longValue).sorted().toArray();
    int from = sorted.length / 5;
    int to = sorted.length * 4 / 5;
    if (to <= from || sorted[to] <= sorted[from]) {
      return 0;
    }
    return (to - from) * 1000.0 / (sorted[to] - sorted[from]);
  }

  /** The seconds the backlog must last, before the margin. */
  double coveredSeconds() {
    return JOIN_SECONDS + SETTLE_SECONDS + steadySeconds + SWAP_SECONDS + steadySeconds;
  }

  /** The records to publish: the drain rate times the covered seconds, times the margin. */
  int images() {
    return (int) Math.ceil(drainPerSecond * MARGIN * coveredSeconds());
  }

  /**
   * The records that must still be waiting at the promote for the swap window and the steady window
   * after it to fit, at the faster of the probe's rate and the rate just measured before the
   * promote, with a fifth more for the rate to rise (the check the bench makes before promoting).
   *
   * @param currentPerSecond the rate over the steady window before the promote
   */
  int neededAtPromote(double currentPerSecond) {
    return (int)
        Math.ceil(
            Math.max(drainPerSecond, currentPerSecond) * 1.2 * (SWAP_SECONDS + steadySeconds));
  }
}
