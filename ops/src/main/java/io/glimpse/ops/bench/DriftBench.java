package io.glimpse.ops.bench;

import io.glimpse.pipeline.quality.Psi;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * {@code glimpse bench drift}: how often the drift monitor's PSI alerts when nothing changed, and
 * whether it alerts when the stream narrows to three classes. Windows are drawn at random from one
 * set of predictions and compared with {@link Psi} over the same histograms the pipeline's drift
 * processor keeps: top-1 classes, and top-1 probability in ten bins of 0.1.
 *
 * <p>A false-alarm pair is a reference window and a test window of {@code N} images each, drawn
 * without replacement and disjoint, so they differ by sampling alone. A detection pair is a
 * reference window drawn from all images against a window drawn only from the images of three true
 * classes (without replacement while there are enough, else with).
 */
public final class DriftBench {
  private DriftBench() {}

  /**
   * Measures every window size of {@code settings} on {@code predictions}.
   *
   * @throws IllegalArgumentException when a window needs more images than there are
   */
  public static DriftReport measure(DriftPredictions predictions, DriftSettings settings) {
    int largest = settings.windows().get(settings.windows().size() - 1);
    if (2 * largest > predictions.size()) {
      throw new IllegalArgumentException(
          "A false-alarm pair of windows of "
              + largest
              + " images needs "
              + 2 * largest
              + " distinct images, there are "
              + predictions.size()
              + ": use smaller --windows or more images");
    }
    for (List<Integer> triple : settings.triples()) {
      if (triple.stream().anyMatch(c -> c < 0 || c >= predictions.classes().size())) {
        throw new IllegalArgumentException(
            "--triples " + triple + ": the classes are 0 to " + (predictions.classes().size() - 1));
      }
    }
    Random random = new Random(settings.seed());
    int[] all = IntStream.range(0, predictions.size()).toArray();
    List<DriftReport.Window> windows = new ArrayList<>();
    List<DriftReport.Detection> detections = new ArrayList<>();
    double[] eitherAtRecommended = null;
    for (int n : settings.windows()) {
      double[][] psi = falseAlarms(predictions, settings, n, all, random);
      windows.add(DriftReport.Window.of(n, psi[0], psi[1], settings.thresholds()));
      if (n == settings.recommendFor()) {
        eitherAtRecommended = DriftReport.larger(psi[0], psi[1]);
      }
      for (List<Integer> triple : settings.triples()) {
        detections.add(detection(predictions, settings, n, triple, all, random));
      }
    }
    return DriftReport.of(predictions, settings, windows, detections, eitherAtRecommended);
  }

  /** The classes' and the confidence's PSI of each pair. */
  private static double[][] falseAlarms(
      DriftPredictions predictions, DriftSettings settings, int n, int[] all, Random random) {
    double[] classes = new double[settings.pairs()];
    double[] confidence = new double[settings.pairs()];
    for (int p = 0; p < settings.pairs(); p++) {
      drawDistinct(all, 2 * n, random);
      Histograms reference = Histograms.of(predictions, all, 0, n);
      Histograms test = Histograms.of(predictions, all, n, n);
      classes[p] = Psi.of(reference.classes, test.classes);
      confidence[p] = Psi.of(reference.confidence, test.confidence);
    }
    return new double[][] {classes, confidence};
  }

  private static DriftReport.Detection detection(
      DriftPredictions predictions,
      DriftSettings settings,
      int n,
      List<Integer> triple,
      int[] all,
      Random random) {
    int[] narrow =
        IntStream.range(0, predictions.size())
            .filter(i -> triple.contains(predictions.truth(i)))
            .toArray();
    if (narrow.length == 0) {
      throw new IllegalArgumentException("No image of the classes " + triple + " to draw from");
    }
    boolean replacement = n > narrow.length;
    double[] classes = new double[settings.detectionPairs()];
    double[] confidence = new double[settings.detectionPairs()];
    int[] drawn = new int[n];
    for (int p = 0; p < settings.detectionPairs(); p++) {
      drawDistinct(all, n, random);
      Histograms reference = Histograms.of(predictions, all, 0, n);
      if (replacement) {
        for (int i = 0; i < n; i++) {
          drawn[i] = narrow[random.nextInt(narrow.length)];
        }
      } else {
        drawDistinct(narrow, n, random);
        System.arraycopy(narrow, 0, drawn, 0, n);
      }
      Histograms test = Histograms.of(predictions, drawn, 0, n);
      classes[p] = Psi.of(reference.classes, test.classes);
      confidence[p] = Psi.of(reference.confidence, test.confidence);
    }
    List<String> names = triple.stream().map(c -> predictions.classes().get(c)).toList();
    return DriftReport.Detection.of(
        n, triple, names, replacement, classes, confidence, settings.thresholds());
  }

  /** Moves a uniform random choice of {@code count} of {@code indices} to its front. */
  private static void drawDistinct(int[] indices, int count, Random random) {
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(indices.length - i);
      int swap = indices[i];
      indices[i] = indices[j];
      indices[j] = swap;
    }
  }

  /** One window's two histograms, counted as the drift processor counts them. */
  private record Histograms(Map<String, Long> classes, Map<String, Long> confidence) {
    static Histograms of(DriftPredictions predictions, int[] images, int from, int count) {
      Histograms h = new Histograms(new TreeMap<>(), new TreeMap<>());
      for (int i = from; i < from + count; i++) {
        h.classes.merge(predictions.predicted(images[i]), 1L, Long::sum);
        h.confidence.merge(predictions.confidenceBin(images[i]), 1L, Long::sum);
      }
      return h;
    }
  }
}
