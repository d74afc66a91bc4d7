package io.glimpse.pipeline.inference;

import io.glimpse.model.inference.TopK;
import io.glimpse.pipeline.batch.PendingRecord;
import io.glimpse.schemas.avro.ClassScore;
import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.avro.Prediction;
import io.glimpse.schemas.avro.Timings;
import java.time.Instant;
import java.util.List;

/** Builds the Prediction record for one classified image. */
final class PredictionFactory {
  private final int topK;

  PredictionFactory(int topK) {
    this.topK = topK;
  }

  Prediction create(
      PendingRecord record, ImageEvent event, float[] probabilities, BatchContext batch) {
    List<String> labels = batch.model().labels();
    List<ClassScore> scores =
        TopK.of(probabilities, topK).stream()
            .map(s -> new ClassScore(labels.get(s.classIndex()), s.classIndex(), s.probability()))
            .toList();
    long now = System.currentTimeMillis();
    Timings timings =
        new Timings(
            Math.max(0, batch.startMillis() - record.arrivalMillis()),
            batch.inferenceMillis(),
            Math.max(0, now - record.timestamp()));
    return Prediction.newBuilder()
        .setImageId(event.getId())
        .setSource(event.getSource())
        .setModelName(batch.model().name())
        .setModelVersion(batch.model().version())
        .setTopK(scores)
        .setTimings(timings)
        .setBatchSize(batch.batchSize())
        .setEventTime(event.getEventTime())
        .setProcessedTime(Instant.ofEpochMilli(now))
        .setLabel(event.getLabel())
        .build();
  }
}
