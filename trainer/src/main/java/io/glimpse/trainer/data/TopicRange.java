package io.glimpse.trainer.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A pinned range of a topic: for each partition read, the offsets {@code [start, end)}, fixed once
 * when the range was resolved, so that reading it again reads the same records (as long as the
 * topic still retains them). Immutable; partitions are kept in partition order.
 *
 * @param topic the topic, e.g. {@code images}
 * @param partitions one range per partition read, at least one
 */
public record TopicRange(String topic, List<PartitionRange> partitions) {

  /** Checks the parts and sorts the partitions. */
  public TopicRange {
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("a topic range needs a topic name");
    }
    if (partitions.isEmpty()) {
      throw new IllegalArgumentException("a range of topic " + topic + " needs a partition");
    }
    List<PartitionRange> sorted = new ArrayList<>(partitions);
    sorted.sort(Comparator.comparingInt(PartitionRange::partition));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).partition() == sorted.get(i - 1).partition()) {
        throw new IllegalArgumentException(
            "partition " + sorted.get(i).partition() + " of " + topic + " is named twice");
      }
    }
    partitions = List.copyOf(sorted);
  }

  /**
   * Returns how many offsets the range spans (records, transaction markers and compacted gaps).
   *
   * @return the sum of {@code end - start} over the partitions
   */
  public long offsets() {
    return partitions.stream().mapToLong(PartitionRange::size).sum();
  }

  /**
   * Returns the range as the manifest and the summaries show it: {@code images 0:[0,5000)
   * 1:[0,4980)}.
   */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(topic);
    for (PartitionRange p : partitions) {
      text.append(' ').append(p);
    }
    return text.toString();
  }

  /**
   * The offsets of one partition, {@code [start, end)}.
   *
   * @param partition the partition number
   * @param start the first offset read
   * @param end the first offset not read; equal to {@code start} for an empty range
   */
  public record PartitionRange(int partition, long start, long end) {

    /** Checks the offsets. */
    public PartitionRange {
      if (partition < 0 || start < 0 || end < start) {
        throw new IllegalArgumentException(
            "a partition range needs a partition and 0 <= start <= end, got "
                + partition
                + ":["
                + start
                + ","
                + end
                + ")");
      }
    }

    /**
     * Returns how many offsets the range spans.
     *
     * @return {@code end - start}
     */
    public long size() {
      return end - start;
    }

    @Override
    public String toString() {
      return partition + ":[" + start + "," + end + ")";
    }
  }
}
