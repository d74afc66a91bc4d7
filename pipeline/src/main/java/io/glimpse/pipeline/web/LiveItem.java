package io.glimpse.pipeline.web;

import io.glimpse.schemas.avro.ClassScore;
import io.glimpse.schemas.avro.Prediction;
import java.util.List;

/**
 * One classified image as the page shows it.
 *
 * @param id the image id (the record key)
 * @param model the model that classified it
 * @param version the version that classified it
 * @param label the top-1 label
 * @param confidence the top-1 probability
 * @param topK every class the prediction kept, best first
 * @param trueLabel the label the image carried, or null
 * @param correct whether the top-1 label is the true one; null without a true label
 * @param latencyMs from the image's Kafka timestamp to its prediction
 * @param inferenceMs preprocessing and forward pass of its batch
 * @param batchSize the size of its batch
 * @param time when it was classified (epoch ms)
 * @param thumbnail a small PNG as a data URI, or null when the image was not found or decode
 */
public record LiveItem(
    String id,
    String model,
    String version,
    String label,
    double confidence,
    List<Score> topK,
    String trueLabel,
    Boolean correct,
    long latencyMs,
    long inferenceMs,
    int batchSize,
    long time,
    String thumbnail) {

  /** A class and its probability. */
  public record Score(String label, double probability) {}

  /** The item of a prediction, without a thumbnail yet. */
  static LiveItem of(String id, Prediction p) {
    List<Score> scores =
        p.getTopK().stream()
            .map((ClassScore s) -> new Score(s.getLabel(), s.getProbability()))
            .toList();
    String top = scores.isEmpty() ? null : scores.get(0).label();
    double confidence = scores.isEmpty() ? 0 : scores.get(0).probability();
    String truth = p.getLabel();
    return new LiveItem(
        id,
        p.getModelName(),
        p.getModelVersion(),
        top,
        confidence,
        scores,
        truth,
        truth == null ? null : truth.equals(top),
        p.getTimings().getEndToEndMs(),
        p.getTimings().getInferenceMs(),
        p.getBatchSize(),
        p.getProcessedTime().toEpochMilli(),
        null);
  }

  /** The same item with its thumbnail. */
  LiveItem withThumbnail(String dataUri) {
    return new LiveItem(
        id,
        model,
        version,
        label,
        confidence,
        topK,
        trueLabel,
        correct,
        latencyMs,
        inferenceMs,
        batchSize,
        time,
        dataUri);
  }
}
