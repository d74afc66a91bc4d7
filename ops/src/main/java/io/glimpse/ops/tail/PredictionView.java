package io.glimpse.ops.tail;

import io.glimpse.schemas.avro.ClassScore;
import io.glimpse.schemas.avro.Prediction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A prediction as one line for people, or as a JSON-ready map for scripts. */
public final class PredictionView {
  private PredictionView() {}

  /**
   * One line: {@code <id> <top-1 label> <probability> [(true: <label>)] model <name> <version>
   * <e2e> ms end to end (<inference> ms inference, batch <n>)}.
   */
  public static String line(Prediction p) {
    StringBuilder line = new StringBuilder(p.getImageId()).append("  ");
    List<ClassScore> top = p.getTopK();
    if (top.isEmpty()) {
      line.append("(no classes)");
    } else {
      line.append(top.get(0).getLabel())
          .append(String.format(Locale.ROOT, " %.2f", top.get(0).getProbability()));
    }
    if (p.getLabel() != null) {
      line.append(" (true: ").append(p.getLabel()).append(')');
    }
    return line.append(
            String.format(
                Locale.ROOT,
                "  model %s %s  %d ms end to end (%d ms inference, batch %d)",
                p.getModelName(),
                p.getModelVersion(),
                p.getTimings().getEndToEndMs(),
                p.getTimings().getInferenceMs(),
                p.getBatchSize()))
        .toString();
  }

  /** Every field of the prediction; times as ISO-8601 text. */
  public static Map<String, Object> json(Prediction p) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("imageId", p.getImageId());
    json.put("source", p.getSource());
    json.put("modelName", p.getModelName());
    json.put("modelVersion", p.getModelVersion());
    json.put(
        "topK",
        p.getTopK().stream()
            .map(
                s -> {
                  Map<String, Object> score = new LinkedHashMap<>();
                  score.put("label", s.getLabel());
                  score.put("classIndex", s.getClassIndex());
                  score.put("probability", s.getProbability());
                  return score;
                })
            .toList());
    Map<String, Object> timings = new LinkedHashMap<>();
    timings.put("queuedMs", p.getTimings().getQueuedMs());
    timings.put("inferenceMs", p.getTimings().getInferenceMs());
    timings.put("endToEndMs", p.getTimings().getEndToEndMs());
    json.put("timings", timings);
    json.put("batchSize", p.getBatchSize());
    json.put("eventTime", p.getEventTime().toString());
    json.put("processedTime", p.getProcessedTime().toString());
    json.put("label", p.getLabel());
    return json;
  }
}
