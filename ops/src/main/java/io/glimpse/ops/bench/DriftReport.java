package io.glimpse.ops.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What {@code bench drift} measured, as a table or one JSON object.
 *
 * @param model the model whose predictions were drawn from
 * @param images the images classified
 * @param top1Accuracy the model's top-1 accuracy on them
 * @param seed the seed of every draw
 * @param pairs false-alarm pairs per window size
 * @param detectionPairs three-class windows per triple and window size
 * @param windows the false alarms, one per window size
 * @param detections the three-class streams, one per window size and triple
 * @param recommendation the threshold this run recommends
 */
public record DriftReport(
    String model,
    int images,
    @JsonProperty("top1_accuracy") double top1Accuracy,
    long seed,
    int pairs,
    @JsonProperty("detection_pairs") int detectionPairs,
    List<Window> windows,
    List<Detection> detections,
    Recommendation recommendation) {

  /**
   * PSI over random pairs of one window size.
   *
   * @param images images per window
   * @param classes PSI of the top-1 classes
   * @param confidence PSI of the top-1 confidence
   * @param either the larger of the two, which is what alerts
   * @param falseAlarms the share of pairs that alert, per threshold
   */
  public record Window(
      int images,
      @JsonProperty("classes_psi") Quantiles classes,
      @JsonProperty("confidence_psi") Quantiles confidence,
      @JsonProperty("either_psi") Quantiles either,
      @JsonProperty("false_alarm_rate") List<Rate> falseAlarms) {

    static Window of(int images, double[] classes, double[] confidence, List<Double> thresholds) {
      double[] either = larger(classes, confidence);
      return new Window(
          images,
          Quantiles.of(classes),
          Quantiles.of(confidence),
          Quantiles.of(either),
          Rate.above(either, thresholds));
    }
  }

  /**
   * A stream of three classes against a reference of all.
   *
   * @param images images per window
   * @param classes the three classes, as indices
   * @param names their names
   * @param withReplacement whether the window had to repeat images (fewer than {@code images} of
   *     the three classes)
   * @param classesPsi PSI of the top-1 classes
   * @param confidencePsi PSI of the top-1 confidence
   * @param alerts the share of windows that alert, per threshold
   */
  public record Detection(
      int images,
      List<Integer> classes,
      List<String> names,
      @JsonProperty("with_replacement") boolean withReplacement,
      @JsonProperty("classes_psi") Quantiles classesPsi,
      @JsonProperty("confidence_psi") Quantiles confidencePsi,
      @JsonProperty("alert_rate") List<Rate> alerts) {

    static Detection of(
        int images,
        List<Integer> classes,
        List<String> names,
        boolean withReplacement,
        double[] classesPsi,
        double[] confidencePsi,
        List<Double> thresholds) {
      return new Detection(
          images,
          List.copyOf(classes),
          List.copyOf(names),
          withReplacement,
          Quantiles.of(classesPsi),
          Quantiles.of(confidencePsi),
          Rate.above(larger(classesPsi, confidencePsi), thresholds));
    }
  }

  /**
   * The distribution of a PSI over the pairs (nearest rank).
   *
   * @param min the smallest
   * @param p50 the median
   * @param p95 the 95th percentile
   * @param p99 the 99th percentile
   * @param max the largest
   */
  public record Quantiles(double min, double p50, double p95, double p99, double max) {
    static Quantiles of(double[] values) {
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      return new Quantiles(
          sorted[0], rank(sorted, 0.50), rank(sorted, 0.95), rank(sorted, 0.99), rank(sorted, 1));
    }

    private static double rank(double[] sorted, double q) {
      int index = (int) Math.ceil(q * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
  }

  /**
   * The share of windows whose larger PSI is above a threshold.
   *
   * @param threshold the threshold
   * @param rate 0 to 1
   */
  public record Rate(double threshold, double rate) {
    static List<Rate> above(double[] psi, List<Double> thresholds) {
      List<Rate> rates = new ArrayList<>(thresholds.size());
      for (double t : thresholds) {
        long above = Arrays.stream(psi).filter(v -> v > t).count();
        rates.add(new Rate(t, (double) above / psi.length));
      }
      return rates;
    }
  }

  /**
   * The lowest threshold of the run whose false-alarm rate at one window size is below the limit
   * and that alerts on every three-class window of that size.
   *
   * @param images the window size
   * @param maxFalseAlarm the false-alarm rate per window it must stay below
   * @param threshold the threshold, null when none qualified
   * @param falseAlarmRate its measured false-alarm rate per window
   * @param alertInTenWindows the chance of at least one false alarm in ten windows at that rate
   * @param detectionRate the share of three-class windows it alerts on (the lowest triple's)
   * @param psiAtMaxFalseAlarm the threshold that would give exactly the limit: the quantile {@code
   *     1 - maxFalseAlarm} of the larger PSI over the pairs
   */
  public record Recommendation(
      int images,
      @JsonProperty("max_false_alarm") double maxFalseAlarm,
      Double threshold,
      @JsonProperty("false_alarm_rate") Double falseAlarmRate,
      @JsonProperty("alert_in_ten_windows") Double alertInTenWindows,
      @JsonProperty("detection_rate") Double detectionRate,
      @JsonProperty("psi_at_max_false_alarm") double psiAtMaxFalseAlarm) {}

  static DriftReport of(
      DriftPredictions predictions,
      DriftSettings settings,
      List<Window> windows,
      List<Detection> detections,
      double[] eitherAtRecommended) {
    int n = settings.recommendFor();
    Window window = windows.stream().filter(w -> w.images() == n).findFirst().orElseThrow();
    double[] sorted = eitherAtRecommended.clone();
    Arrays.sort(sorted);
    double psiAtLimit = Quantiles.rank(sorted, 1 - settings.maxFalseAlarm());
    Recommendation recommendation =
        new Recommendation(n, settings.maxFalseAlarm(), null, null, null, null, psiAtLimit);
    for (int t = 0; t < settings.thresholds().size(); t++) {
      double falseAlarm = window.falseAlarms().get(t).rate();
      int index = t;
      double detected =
          detections.stream()
              .filter(d -> d.images() == n)
              .mapToDouble(d -> d.alerts().get(index).rate())
              .min()
              .orElse(0);
      if (falseAlarm < settings.maxFalseAlarm() && detected == 1) {
        recommendation =
            new Recommendation(
                n,
                settings.maxFalseAlarm(),
                settings.thresholds().get(t),
                falseAlarm,
                1 - Math.pow(1 - falseAlarm, 10),
                detected,
                psiAtLimit);
        break;
      }
    }
    return new DriftReport(
        predictions.model(),
        predictions.size(),
        predictions.top1Accuracy(),
        settings.seed(),
        settings.pairs(),
        settings.detectionPairs(),
        List.copyOf(windows),
        List.copyOf(detections),
        recommendation);
  }

  /** The larger of two PSIs per pair: a window alerts when either is above the threshold. */
  static double[] larger(double[] a, double[] b) {
    double[] max = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      max[i] = Math.max(a[i], b[i]);
    }
    return max;
  }

  /** One line of JSON. */
  public String toJson() {
    return Json.write(this);
  }

  /** Tables: false alarms per window size, detection per triple, the recommendation. */
  public String toTable() {
    StringBuilder out = new StringBuilder();
    line(
        out,
        "Drift PSI benchmark: %s on %d images (top-1 %.1f %%), seed %d",
        model,
        images,
        100 * top1Accuracy,
        seed);
    line(out, "");
    line(out, "No drift: %d random pairs of disjoint windows of N images, same images", pairs);
    line(out, "%6s  %-10s %8s %8s %8s %8s", "N", "PSI of", "p50", "p95", "p99", "max");
    for (Window w : windows) {
      quantiles(out, w.images(), "classes", w.classes());
      quantiles(out, w.images(), "confidence", w.confidence());
      quantiles(out, w.images(), "either", w.either());
    }
    line(out, "");
    line(out, "False-alarm rate per window (either PSI above the threshold)");
    out.append(String.format(Locale.ROOT, "%6s", "N"));
    for (Rate r : windows.get(0).falseAlarms()) {
      out.append(String.format(Locale.ROOT, " %8s", "> " + r.threshold()));
    }
    line(out, "");
    for (Window w : windows) {
      out.append(String.format(Locale.ROOT, "%6d", w.images()));
      rates(out, w.falseAlarms());
    }
    line(out, "");
    line(
        out,
        "Drift: %d windows of N images of three classes only, against a reference of all",
        detectionPairs);
    out.append(
        String.format(
            Locale.ROOT, "%6s  %-32s %9s %9s  alerts at", "N", "classes", "min cls", "min conf"));
    for (Rate r : windows.get(0).falseAlarms()) {
      out.append(String.format(Locale.ROOT, " %8s", "> " + r.threshold()));
    }
    line(out, "");
    for (Detection d : detections) {
      out.append(
          String.format(
              Locale.ROOT,
              "%6d  %-32s %9.3f %9.3f %s",
              d.images(),
              String.join(", ", d.names()) + (d.withReplacement() ? " *" : ""),
              d.classesPsi().min(),
              d.confidencePsi().min(),
              "         "));
      rates(out, d.alerts());
    }
    if (detections.stream().anyMatch(Detection::withReplacement)) {
      line(out, "* fewer images of the three classes than N: drawn with replacement");
    }
    line(out, "");
    recommendation(out);
    return out.toString();
  }

  private void recommendation(StringBuilder out) {
    Recommendation r = recommendation;
    if (r.threshold() == null) {
      line(
          out,
          "No threshold of this run stays below %.1f %% false alarms at N=%d and catches every"
              + " three-class window; %.4f would give %.1f %%.",
          100 * r.maxFalseAlarm(),
          r.images(),
          r.psiAtMaxFalseAlarm(),
          100 * r.maxFalseAlarm());
      return;
    }
    line(
        out,
        "Recommended threshold at N=%d: %s (the lowest here below %.1f %% false alarms that"
            + " catches every three-class window): %.2f %% false alarms per window, %.1f %% for"
            + " at least one in ten windows, %.0f %% of three-class windows alert. The PSI that"
            + " %.1f %% of no-drift windows exceed: %.4f.",
        r.images(),
        r.threshold(),
        100 * r.maxFalseAlarm(),
        100 * r.falseAlarmRate(),
        100 * r.alertInTenWindows(),
        100 * r.detectionRate(),
        100 * r.maxFalseAlarm(),
        r.psiAtMaxFalseAlarm());
  }

  private static void quantiles(StringBuilder out, int n, String signal, Quantiles q) {
    line(out, "%6d  %-10s %8.4f %8.4f %8.4f %8.4f", n, signal, q.p50(), q.p95(), q.p99(), q.max());
  }

  private static void rates(StringBuilder out, List<Rate> rates) {
    for (Rate r : rates) {
      out.append(String.format(Locale.ROOT, " %7.2f%%", 100 * r.rate()));
    }
    line(out, "");
  }

  private static void line(StringBuilder out, String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
