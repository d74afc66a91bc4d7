package io.glimpse.model.inference;

import java.util.ArrayList;
import java.util.List;

/**
 * Picks the most probable classes from one row of probabilities: best first, equal probabilities by
 * lower class index, NaN after every number. One pass, no sorting of the whole row.
 */
public final class TopK {

  private TopK() {}

  /**
   * Returns the {@code k} most probable classes.
   *
   * @param probabilities one image's probabilities, indexed by class
   * @param k how many to return, at least 1; fewer come back when there are fewer classes
   * @return {@code min(k, probabilities.length)} classes, best first
   * @throws IllegalArgumentException when {@code k < 1}
   */
  public static List<ScoredClass> of(float[] probabilities, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    int[] best = new int[Math.min(k, probabilities.length)];
    int size = 0;
    for (int i = 0; i < probabilities.length; i++) {
      if (size < best.length) {
        size++;
      } else if (!before(probabilities, i, best[size - 1])) {
        continue;
      }
      int j = size - 1;
      for (; j > 0 && before(probabilities, i, best[j - 1]); j--) {
        best[j] = best[j - 1];
      }
      best[j] = i;
    }
    List<ScoredClass> top = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      top.add(new ScoredClass(best[i], probabilities[best[i]]));
    }
    return top;
  }

  /** Whether class {@code later} ranks before {@code earlier}, an index below it. */
  private static boolean before(float[] probabilities, int later, int earlier) {
    float p = probabilities[later];
    float q = probabilities[earlier];
    return !Float.isNaN(p) && (p > q || Float.isNaN(q));
  }
}
