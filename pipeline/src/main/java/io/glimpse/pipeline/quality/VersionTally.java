package io.glimpse.pipeline.quality;

import io.glimpse.schemas.avro.ClassTally;
import io.glimpse.schemas.avro.ConfusionCount;
import io.glimpse.schemas.avro.ModelQuality;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The labels joined with one model version's predictions in one window of prediction time and one
 * partition: how many, how many right, per class, and the mistakes. Read from and written as a
 * {@link ModelQuality} record.
 */
final class VersionTally {
  private final String model;
  private final String version;
  private final long windowStart;
  private final long windowEnd;
  private final int partition;
  private long labelled;
  private long correct;
  private long late;
  private long unknown;
  private final Map<String, long[]> classes = new TreeMap<>();
  private final Map<String, Map<String, Long>> confusion = new TreeMap<>();

  VersionTally(String model, String version, long windowStart, long windowEnd, int partition) {
    this.model = model;
    this.version = version;
    this.windowStart = windowStart;
    this.windowEnd = windowEnd;
    this.partition = partition;
  }

  static VersionTally of(ModelQuality quality) {
    VersionTally tally =
        new VersionTally(
            quality.getModelName(),
            quality.getVersion(),
            quality.getWindowStart().toEpochMilli(),
            quality.getWindowEnd().toEpochMilli(),
            quality.getPartition());
    tally.labelled = quality.getLabelled();
    tally.correct = quality.getCorrect();
    tally.late = quality.getLateLabels();
    tally.unknown = quality.getUnknownLabels();
    for (ClassTally c : quality.getClasses()) {
      tally.classes.put(c.getLabel(), new long[] {c.getLabelled(), c.getCorrect()});
    }
    for (ConfusionCount c : quality.getConfusion()) {
      tally
          .confusion
          .computeIfAbsent(c.getLabel(), k -> new TreeMap<>())
          .put(c.getPredicted(), c.getCount());
    }
    return tally;
  }

  /** A label met this version's prediction within the join window. */
  void joined(String label, String predicted) {
    labelled++;
    long[] perClass = classes.computeIfAbsent(label, k -> new long[2]);
    perClass[0]++;
    if (label.equals(predicted)) {
      correct++;
      perClass[1]++;
    } else {
      confusion.computeIfAbsent(label, k -> new TreeMap<>()).merge(predicted, 1L, Long::sum);
    }
  }

  /** A label came for the prediction, but outside the join window. */
  void late() {
    late++;
  }

  /** A label came that is not in this version's label set. */
  void unknown() {
    unknown++;
  }

  ModelQuality toRecord(Instant now) {
    List<ClassTally> perClass = new ArrayList<>();
    classes.forEach((label, n) -> perClass.add(new ClassTally(label, n[0], n[1])));
    List<ConfusionCount> mistakes = new ArrayList<>();
    confusion.forEach(
        (label, predicted) ->
            predicted.forEach((p, n) -> mistakes.add(new ConfusionCount(label, p, n))));
    return ModelQuality.newBuilder()
        .setModelName(model)
        .setVersion(version)
        .setWindowStart(Instant.ofEpochMilli(windowStart))
        .setWindowEnd(Instant.ofEpochMilli(windowEnd))
        .setPartition(partition)
        .setLabelled(labelled)
        .setCorrect(correct)
        .setLateLabels(late)
        .setUnknownLabels(unknown)
        .setClasses(perClass)
        .setConfusion(mistakes)
        .setUpdatedTime(now)
        .build();
  }
}
