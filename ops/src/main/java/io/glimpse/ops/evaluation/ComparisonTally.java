package io.glimpse.ops.evaluation;

import io.glimpse.schemas.avro.ClassFlip;
import io.glimpse.schemas.avro.LatencyPercentiles;
import io.glimpse.schemas.avro.ModelComparison;
import io.glimpse.schemas.avro.Prediction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Joins two versions' predictions by image id and sums up what differs: the pure part of {@code
 * glimpse models compare}. The latest prediction of an image per side wins, so predictions seen
 * twice (an evaluation replayed again, a pipeline restarted) count once. Dead letters count per
 * side for the images of the candidate's range: the images the candidate classified or
 * dead-lettered.
 */
final class ComparisonTally {

  private final Map<String, Seen> candidate = new HashMap<>();
  private final Map<String, Seen> baseline = new HashMap<>();
  private final Set<String> candidateDeadLetters = new HashSet<>();
  private final Set<String> baselineDeadLetters = new HashSet<>();

  /** A prediction of the candidate version. */
  void candidate(Prediction prediction) {
    candidate.put(prediction.getImageId(), Seen.of(prediction));
  }

  /** A prediction of the baseline version. */
  void baseline(Prediction prediction) {
    baseline.put(prediction.getImageId(), Seen.of(prediction));
  }

  /** An image the candidate dead-lettered, by its key. */
  void candidateDeadLetter(String imageId) {
    candidateDeadLetters.add(imageId);
  }

  /** An image the baseline dead-lettered, by its key. */
  void baselineDeadLetter(String imageId) {
    baselineDeadLetters.add(imageId);
  }

  /** The comparison of what was seen. */
  ModelComparison build(
      String model, String candidateVersion, String baselineVersion, Instant now) {
    long compared = 0;
    long agreed = 0;
    long labelled = 0;
    long candidateCorrect = 0;
    long baselineCorrect = 0;
    double candidateConfidence = 0;
    double baselineConfidence = 0;
    List<Long> candidateLatency = new ArrayList<>();
    List<Long> baselineLatency = new ArrayList<>();
    Map<List<String>, Long> flips = new HashMap<>();
    for (Map.Entry<String, Seen> e : candidate.entrySet()) {
      Seen mine = e.getValue();
      Seen theirs = baseline.get(e.getKey());
      if (theirs == null) {
        continue;
      }
      compared++;
      candidateConfidence += mine.confidence;
      baselineConfidence += theirs.confidence;
      candidateLatency.add(mine.latencyMs);
      baselineLatency.add(theirs.latencyMs);
      if (mine.top1.equals(theirs.top1)) {
        agreed++;
      } else {
        flips.merge(List.of(theirs.top1, mine.top1), 1L, Long::sum);
      }
      String label = mine.label != null ? mine.label : theirs.label;
      if (label != null) {
        labelled++;
        candidateCorrect += label.equals(mine.top1) ? 1 : 0;
        baselineCorrect += label.equals(theirs.top1) ? 1 : 0;
      }
    }
    Set<String> range = new HashSet<>(candidate.keySet());
    range.addAll(candidateDeadLetters);
    long baselineDead = baselineDeadLetters.stream().filter(range::contains).count();
    return ModelComparison.newBuilder()
        .setModelName(model)
        .setCandidateVersion(candidateVersion)
        .setBaselineVersion(baselineVersion)
        .setImagesCompared(compared)
        .setAgreement(compared == 0 ? 0 : (double) agreed / compared)
        .setLabelledImages(labelled)
        .setCandidateAccuracy(labelled == 0 ? null : (double) candidateCorrect / labelled)
        .setBaselineAccuracy(labelled == 0 ? null : (double) baselineCorrect / labelled)
        .setCandidateMeanConfidence(compared == 0 ? 0 : candidateConfidence / compared)
        .setBaselineMeanConfidence(compared == 0 ? 0 : baselineConfidence / compared)
        .setFlips(flips(flips))
        .setCandidateLatency(percentiles(candidateLatency))
        .setBaselineLatency(percentiles(baselineLatency))
        .setCandidateDeadLetters(candidateDeadLetters.size())
        .setBaselineDeadLetters(baselineDead)
        .setCandidateOnly(candidate.size() - compared)
        .setComparedTime(now)
        .build();
  }

  private static List<ClassFlip> flips(Map<List<String>, Long> flips) {
    return flips.entrySet().stream()
        .map(e -> new ClassFlip(e.getKey().get(0), e.getKey().get(1), e.getValue()))
        .sorted(
            Comparator.comparingLong(ClassFlip::getCount)
                .reversed()
                .thenComparing(ClassFlip::getBaselineLabel)
                .thenComparing(ClassFlip::getCandidateLabel))
        .toList();
  }

  /** Nearest-rank percentiles; all zero without samples. */
  static LatencyPercentiles percentiles(List<Long> samples) {
    long[] sorted = samples.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    return new LatencyPercentiles(
        rank(sorted, 0.50), rank(sorted, 0.95), rank(sorted, 0.99), rank(sorted, 1.0));
  }

  private static long rank(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** What one side said about one image. */
  private record Seen(String top1, double confidence, String label, long latencyMs) {
    static Seen of(Prediction p) {
      boolean none = p.getTopK().isEmpty();
      return new Seen(
          none ? "" : p.getTopK().get(0).getLabel(),
          none ? 0 : p.getTopK().get(0).getProbability(),
          p.getLabel(),
          p.getTimings().getQueuedMs() + p.getTimings().getInferenceMs());
    }
  }
}
