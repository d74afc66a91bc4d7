package io.glimpse.ops.cli.models;

import io.glimpse.schemas.avro.ClassFlip;
import io.glimpse.schemas.avro.LatencyPercentiles;
import io.glimpse.schemas.avro.ModelComparison;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** How {@code glimpse models compare} shows a {@link ModelComparison}: text and JSON. */
final class ComparisonView {
  /** Flips the text lists; the JSON has them all. */
  private static final int TEXT_FLIPS = 5;

  private ComparisonView() {}

  static Map<String, Object> json(ModelComparison c) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("model", c.getModelName());
    document.put("candidate", c.getCandidateVersion());
    document.put("baseline", c.getBaselineVersion());
    document.put("imagesCompared", c.getImagesCompared());
    document.put("agreement", c.getAgreement());
    document.put("labelledImages", c.getLabelledImages());
    document.put("candidateAccuracy", c.getCandidateAccuracy());
    document.put("baselineAccuracy", c.getBaselineAccuracy());
    document.put("candidateMeanConfidence", c.getCandidateMeanConfidence());
    document.put("baselineMeanConfidence", c.getBaselineMeanConfidence());
    document.put(
        "flips",
        c.getFlips().stream()
            .map(
                f ->
                    Map.of(
                        "baseline", f.getBaselineLabel(),
                        "candidate", f.getCandidateLabel(),
                        "count", f.getCount()))
            .toList());
    document.put("candidateLatencyMs", latency(c.getCandidateLatency()));
    document.put("baselineLatencyMs", latency(c.getBaselineLatency()));
    document.put("candidateDeadLetters", c.getCandidateDeadLetters());
    document.put("baselineDeadLetters", c.getBaselineDeadLetters());
    document.put("candidateOnly", c.getCandidateOnly());
    document.put("comparedTime", Printer.jsonTime(c.getComparedTime()));
    return document;
  }

  private static Map<String, Object> latency(LatencyPercentiles l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("p50", l.getP50Ms());
    m.put("p95", l.getP95Ms());
    m.put("p99", l.getP99Ms());
    m.put("max", l.getMaxMs());
    return m;
  }

  static String text(ModelComparison c) {
    String mine = "v" + c.getCandidateVersion();
    String theirs = "v" + c.getBaselineVersion();
    StringBuilder out = new StringBuilder();
    line(
        out,
        "%s %s against %s: %d images compared, %d of them labelled; recorded on"
            + " model-comparisons",
        c.getModelName(),
        mine,
        theirs,
        c.getImagesCompared(),
        c.getLabelledImages());
    line(out, "  top-1 agreement      %.2f %%", 100 * c.getAgreement());
    if (c.getCandidateAccuracy() != null) {
      line(
          out,
          "  accuracy             %s %.2f %%   %s %.2f %%",
          mine,
          100 * c.getCandidateAccuracy(),
          theirs,
          100 * c.getBaselineAccuracy());
    } else {
      line(out, "  accuracy             no labels on the compared images");
    }
    line(
        out,
        "  mean confidence      %s %.3f   %s %.3f",
        mine,
        c.getCandidateMeanConfidence(),
        theirs,
        c.getBaselineMeanConfidence());
    line(
        out,
        "  latency p50/p95/p99  %s %s ms   %s %s ms",
        mine,
        percentiles(c.getCandidateLatency()),
        theirs,
        percentiles(c.getBaselineLatency()));
    line(
        out,
        "  dead letters         %s %d   %s %d",
        mine,
        c.getCandidateDeadLetters(),
        theirs,
        c.getBaselineDeadLetters());
    line(out, "  only %s classified   %d", mine, c.getCandidateOnly());
    String flips =
        c.getFlips().isEmpty()
            ? "none"
            : c.getFlips().stream()
                    .limit(TEXT_FLIPS)
                    .map(ComparisonView::flip)
                    .collect(Collectors.joining(", "))
                + (c.getFlips().size() > TEXT_FLIPS
                    ? " (" + c.getFlips().size() + " pairs in all, --json lists them)"
                    : "");
    line(out, "  flips %s -> %s  %s", theirs, mine, flips);
    return out.toString();
  }

  private static String flip(ClassFlip f) {
    return f.getBaselineLabel() + " -> " + f.getCandidateLabel() + " " + f.getCount();
  }

  private static String percentiles(LatencyPercentiles l) {
    return l.getP50Ms() + "/" + l.getP95Ms() + "/" + l.getP99Ms();
  }

  private static void line(StringBuilder out, String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
  }
}
