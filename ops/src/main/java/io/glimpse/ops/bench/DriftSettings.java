package io.glimpse.ops.bench;

import java.util.List;

/**
 * What {@code glimpse bench drift} measures.
 *
 * @param windows images per window (reference and test alike), one measurement each
 * @param pairs random pairs of a reference and a test window per window size
 * @param detectionPairs random three-class windows per class triple and window size
 * @param thresholds PSI thresholds whose false-alarm and detection rates are reported
 * @param triples the classes (indices into the data set's classes) of each three-class stream
 * @param recommendFor the window size the recommended threshold is for
 * @param maxFalseAlarm the highest false-alarm rate per window the recommendation accepts
 * @param seed the seed of every draw, so that a run can be repeated
 */
public record DriftSettings(
    List<Integer> windows,
    int pairs,
    int detectionPairs,
    List<Double> thresholds,
    List<List<Integer>> triples,
    int recommendFor,
    double maxFalseAlarm,
    long seed) {

  /** The sizes: windows of 500 to 5,000 images, 2,000 pairs each, 100 per triple. */
  public static DriftSettings defaults() {
    return new DriftSettings(
        List.of(500, 1000, 2000, 5000),
        2000,
        100,
        List.of(0.02, 0.05, 0.1, 0.2, 0.25),
        List.of(List.of(0, 1, 2), List.of(2, 4, 6), List.of(5, 7, 9)),
        2000,
        0.01,
        42);
  }

  /** Validates and keeps sorted, unmodifiable copies; the message names the option to fix. */
  public DriftSettings {
    windows = windows.stream().sorted().distinct().toList();
    thresholds = thresholds.stream().sorted().distinct().toList();
    triples = triples.stream().map(List::copyOf).toList();
    require(!windows.isEmpty() && windows.get(0) >= 10, "--windows must be 10 images or more");
    require(pairs >= 1, "--pairs must be at least 1");
    require(detectionPairs >= 1, "--detection-pairs must be at least 1");
    require(!thresholds.isEmpty() && thresholds.get(0) > 0, "--thresholds must be above 0");
    require(
        triples.stream().allMatch(t -> t.size() == 3 && t.stream().distinct().count() == 3),
        "--triples must name three different classes each, e.g. 0-1-2");
    require(windows.contains(recommendFor), "--recommend-for must be one of --windows");
    require(maxFalseAlarm > 0 && maxFalseAlarm < 1, "--max-false-alarm must be in (0, 1)");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
