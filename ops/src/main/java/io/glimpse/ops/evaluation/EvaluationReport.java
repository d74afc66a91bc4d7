package io.glimpse.ops.evaluation;

import java.util.List;
import java.util.Map;

/**
 * What a replay evaluation did: the {@link Outcome}, which is the same every time the same range is
 * replayed with the same version, and how long it took, which is not.
 *
 * @param outcome what was read, classified and dead-lettered, and the accuracy
 * @param elapsedMillis wall-clock time of the run, model loading included
 */
public record EvaluationReport(Outcome outcome, long elapsedMillis) {

  /** Images classified per second of the whole run. */
  public double imagesPerSecond() {
    return elapsedMillis == 0 ? 0 : outcome.predicted() * 1000.0 / elapsedMillis;
  }

  /**
   * The deterministic part of a report.
   *
   * @param model the model name
   * @param version the version replayed
   * @param imagesTopic the topic read
   * @param outputTopic where the predictions went
   * @param ranges the range of each partition read, [start, end)
   * @param records records read
   * @param predicted records classified
   * @param labelled of those, records whose image carried a label
   * @param correct of those, records whose top-1 label was the image's label
   * @param deadLetters records dead-lettered, by reason
   */
  public record Outcome(
      String model,
      String version,
      String imagesTopic,
      String outputTopic,
      List<PartitionRange> ranges,
      long records,
      long predicted,
      long labelled,
      long correct,
      Map<String, Long> deadLetters) {

    /** Top-1 accuracy over the labelled images, or null without any. */
    public Double accuracy() {
      return labelled == 0 ? null : (double) correct / labelled;
    }

    /** Records dead-lettered, all reasons. */
    public long deadLettered() {
      return deadLetters.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * The offsets read in one partition.
   *
   * @param partition the partition
   * @param start the first offset
   * @param end one past the last
   */
  public record PartitionRange(int partition, long start, long end) {}
}
