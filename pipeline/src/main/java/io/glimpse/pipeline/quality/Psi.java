package io.glimpse.pipeline.quality;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The population stability index of two histograms: {@code sum((a - e) * ln(a / e))} over the bins'
 * shares, with half an image added to every bin of both so that an empty bin does not make it
 * infinite. 0 for equal shares; by custom below 0.1 is stable, above 0.25 a real shift. Over {@code
 * n} images per side and {@code k} bins, sampling noise alone gives about {@code (k - 1) * 2 / n}:
 * 0.009 for ten classes at 2,000 images (docs/results/issue-21 measured it).
 */
public final class Psi {
  private static final double SMOOTHING = 0.5;

  private Psi() {}

  /**
   * The PSI of {@code actual} against {@code expected}.
   *
   * @param expected counts per bin of the reference
   * @param actual counts per bin of the window
   * @return 0 or more
   */
  public static double of(Map<String, Long> expected, Map<String, Long> actual) {
    Set<String> bins = new HashSet<>(expected.keySet());
    bins.addAll(actual.keySet());
    double expectedTotal = total(expected) + SMOOTHING * bins.size();
    double actualTotal = total(actual) + SMOOTHING * bins.size();
    double psi = 0;
    for (String bin : bins) {
      double e = (expected.getOrDefault(bin, 0L) + SMOOTHING) / expectedTotal;
      double a = (actual.getOrDefault(bin, 0L) + SMOOTHING) / actualTotal;
      psi += (a - e) * Math.log(a / e);
    }
    return psi;
  }

  /**
   * The confidence bin of a top-1 probability as the drift monitor counts it: {@code "0"} for [0,
   * 0.1) up to {@code "9"} for [0.9, 1], so that a benchmark bins exactly as the pipeline does.
   *
   * @param probability the top-1 probability
   * @return the bin's key in a confidence histogram
   */
  public static String confidenceBin(float probability) {
    return DriftState.confidenceBin(probability);
  }

  private static long total(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
