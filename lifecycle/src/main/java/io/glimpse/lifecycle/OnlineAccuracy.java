package io.glimpse.lifecycle;

import io.glimpse.schemas.avro.ClassTally;
import io.glimpse.schemas.avro.ConfusionCount;
import io.glimpse.schemas.avro.ModelQuality;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One version's accuracy on the labels that arrived for its predictions: the {@code model-quality}
 * tallies of every window and partition added up.
 *
 * @param modelName the model
 * @param version the version
 * @param labelled predictions joined with a label in the version's label set
 * @param correct of those, predictions whose top-1 class was the label
 * @param lateLabels labels that came outside the join window (not joined)
 * @param unknownLabels labels outside the version's label set (not joined)
 * @param recall per true class: labelled and correct
 * @param confusion true label to predicted label to count, mistakes only
 * @param updated when the newest tally was written; null without tallies
 */
public record OnlineAccuracy(
    String modelName,
    String version,
    long labelled,
    long correct,
    long lateLabels,
    long unknownLabels,
    Map<String, long[]> recall,
    Map<String, Map<String, Long>> confusion,
    Instant updated) {

  /** Adds up a version's tallies (any order; windows and partitions are disjoint). */
  public static OnlineAccuracy of(
      String modelName, String version, Collection<ModelQuality> tallies) {
    long labelled = 0;
    long correct = 0;
    long late = 0;
    long unknown = 0;
    Map<String, long[]> recall = new TreeMap<>();
    Map<String, Map<String, Long>> confusion = new TreeMap<>();
    Instant updated = null;
    for (ModelQuality q : tallies) {
      labelled += q.getLabelled();
      correct += q.getCorrect();
      late += q.getLateLabels();
      unknown += q.getUnknownLabels();
      for (ClassTally c : q.getClasses()) {
        long[] n = recall.computeIfAbsent(c.getLabel(), k -> new long[2]);
        n[0] += c.getLabelled();
        n[1] += c.getCorrect();
      }
      for (ConfusionCount c : q.getConfusion()) {
        confusion
            .computeIfAbsent(c.getLabel(), k -> new TreeMap<>())
            .merge(c.getPredicted(), c.getCount(), Long::sum);
      }
      if (updated == null || q.getUpdatedTime().isAfter(updated)) {
        updated = q.getUpdatedTime();
      }
    }
    return new OnlineAccuracy(
        modelName, version, labelled, correct, late, unknown, recall, confusion, updated);
  }

  /** Top-1 accuracy over the joined labels; empty before the first. */
  public Optional<Double> accuracy() {
    return labelled == 0 ? Optional.empty() : Optional.of((double) correct / labelled);
  }

  /** Recall of one true class; empty when no label of it was joined. */
  public Optional<Double> recall(String label) {
    long[] n = recall.get(label);
    return n == null || n[0] == 0 ? Optional.empty() : Optional.of((double) n[1] / n[0]);
  }
}
