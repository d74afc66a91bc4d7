package io.glimpse.trainer.data;

import java.util.ArrayList;
import java.util.List;

/**
 * What reading one pinned topic range gave: how many images were kept, the digest of exactly those
 * records, and how many records were skipped and why.
 *
 * @param range the range read
 * @param images the labelled images kept, in (partition, offset) order
 * @param sha256 the {@link TopicDigest} of the kept records, lower-case hex
 * @param unlabelled records skipped because their event had no label
 * @param unknownLabel records skipped because their label is not one of the run's classes
 * @param unreadable records skipped because they did not deserialize or decode (or were tombstones)
 * @param firstProblem why the first unreadable record was skipped, or null when none was
 */
public record TopicRead(
    TopicRange range,
    int images,
    String sha256,
    long unlabelled,
    long unknownLabel,
    long unreadable,
    String firstProblem) {

  /**
   * Returns the records skipped for any reason.
   *
   * @return the sum of the three counts
   */
  public long skipped() {
    return unlabelled + unknownLabel + unreadable;
  }

  /**
   * Returns the range, image count, digest and skipped records in one line, as the manifest's
   * {@code trainingData} and the summaries show it: {@code images 0:[0,500) 1:[0,480) 951 images
   * sha256:3f9a… skipped 29 unlabelled}.
   */
  @Override
  public String toString() {
    String text = range + " " + images + " images sha256:" + sha256;
    List<String> skips = new ArrayList<>();
    addCount(skips, unlabelled, "unlabelled");
    addCount(skips, unknownLabel, "with an unknown label");
    addCount(skips, unreadable, "unreadable");
    return skips.isEmpty() ? text : text + " skipped " + String.join(", ", skips);
  }

  private static void addCount(List<String> skips, long count, String what) {
    if (count > 0) {
      skips.add(count + " " + what);
    }
  }
}
