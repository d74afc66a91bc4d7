package io.glimpse.ops.evaluation;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * A range of a topic to replay, from {@code --from} to {@code --to}: each end an offset (applied to
 * every partition) or an ISO-8601 instant ({@code 2026-11-30T08:00:00Z}: the first record at or
 * after it), and {@code earliest} / {@code latest}. The end is exclusive; without one the range
 * ends where each partition ends when the replay starts, so a replay is bounded even while images
 * keep arriving. Offsets outside what the topic retains are clamped to it.
 *
 * @param from where the range starts
 * @param to where it ends (exclusive)
 */
public record ReplayRange(Bound from, Bound to) {

  /**
   * Parses {@code --from} and {@code --to}.
   *
   * @param from an offset, an instant, or {@code earliest}
   * @param to an offset, an instant, {@code latest}, or null for {@code latest}
   * @return the range
   * @throws IllegalArgumentException naming the text that is neither
   */
  public static ReplayRange parse(String from, String to) {
    return new ReplayRange(
        Bound.parse("--from", from), Bound.parse("--to", to == null ? "latest" : to));
  }

  /**
   * The offsets of the range in each partition, [start, end), read from the broker now.
   *
   * @param consumer a consumer of the topic
   * @param partitions the topic's partitions
   * @return start and end offset of each partition, by partition number
   */
  public Map<TopicPartition, long[]> resolve(
      Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    Map<TopicPartition, Long> first = consumer.beginningOffsets(partitions);
    Map<TopicPartition, Long> last = consumer.endOffsets(partitions);
    Map<TopicPartition, Long> starts = from.offsets(consumer, partitions, first, last);
    Map<TopicPartition, Long> ends = to.offsets(consumer, partitions, first, last);
    Map<TopicPartition, long[]> ranges =
        new TreeMap<>(
            (a, b) ->
                a.topic().equals(b.topic())
                    ? Integer.compare(a.partition(), b.partition())
                    : a.topic().compareTo(b.topic()));
    for (TopicPartition p : partitions) {
      long start = clamp(starts.get(p), first.get(p), last.get(p));
      long end = clamp(ends.get(p), start, last.get(p));
      ranges.put(p, new long[] {start, end});
    }
    return ranges;
  }

  private static long clamp(long value, long min, long max) {
    return Math.max(min, Math.min(max, value));
  }

  @Override
  public String toString() {
    return "from " + from + " to " + to;
  }

  /** One end of a range. */
  public sealed interface Bound permits Offset, Time, PerPartition {

    /** Its offset in each partition. */
    Map<TopicPartition, Long> offsets(
        Consumer<?, ?> consumer,
        Collection<TopicPartition> partitions,
        Map<TopicPartition, Long> first,
        Map<TopicPartition, Long> last);

    /** Parses an offset, an ISO-8601 instant, {@code earliest} or {@code latest}. */
    static Bound parse(String option, String text) {
      String t = text.strip();
      if (t.equals("earliest")) {
        return new Offset(0);
      }
      if (t.equals("latest")) {
        return new Offset(Long.MAX_VALUE);
      }
      if (t.matches("\\d{1,18}")) {
        return new Offset(Long.parseLong(t));
      }
      try {
        return new Time(Instant.parse(t));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            option
                + " "
                + text
                + " is neither an offset nor an ISO-8601 instant (2026-11-30T08:00:00Z), nor"
                + " earliest or latest");
      }
    }
  }

  /**
   * An offset of its own in each partition (a range pinned earlier, e.g. a retraining round's
   * held-out images); a partition not named is read from its first retained offset.
   *
   * @param offsets partition number to offset
   */
  public record PerPartition(Map<Integer, Long> offsets) implements Bound {
    /** Copies the offsets. */
    public PerPartition {
      offsets = Map.copyOf(offsets);
    }

    @Override
    public Map<TopicPartition, Long> offsets(
        Consumer<?, ?> consumer,
        Collection<TopicPartition> partitions,
        Map<TopicPartition, Long> first,
        Map<TopicPartition, Long> last) {
      Map<TopicPartition, Long> at = new HashMap<>();
      partitions.forEach(p -> at.put(p, offsets.getOrDefault(p.partition(), first.get(p))));
      return at;
    }

    @Override
    public String toString() {
      return new java.util.TreeMap<>(offsets).toString();
    }
  }

  /**
   * An offset, the same in every partition.
   *
   * @param offset the offset
   */
  public record Offset(long offset) implements Bound {
    @Override
    public Map<TopicPartition, Long> offsets(
        Consumer<?, ?> consumer,
        Collection<TopicPartition> partitions,
        Map<TopicPartition, Long> first,
        Map<TopicPartition, Long> last) {
      Map<TopicPartition, Long> offsets = new HashMap<>();
      partitions.forEach(p -> offsets.put(p, offset));
      return offsets;
    }

    @Override
    public String toString() {
      return offset == Long.MAX_VALUE ? "latest" : "offset " + offset;
    }
  }

  /**
   * The first record at or after an instant in each partition (the partition's end when none is).
   *
   * @param instant the instant
   */
  public record Time(Instant instant) implements Bound {
    @Override
    public Map<TopicPartition, Long> offsets(
        Consumer<?, ?> consumer,
        Collection<TopicPartition> partitions,
        Map<TopicPartition, Long> first,
        Map<TopicPartition, Long> last) {
      Map<TopicPartition, Long> query = new HashMap<>();
      partitions.forEach(p -> query.put(p, instant.toEpochMilli()));
      Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
      Map<TopicPartition, Long> offsets = new HashMap<>();
      for (TopicPartition p : partitions) {
        OffsetAndTimestamp at = found.get(p);
        offsets.put(p, at == null ? last.get(p) : at.offset());
      }
      return offsets;
    }

    @Override
    public String toString() {
      return instant.toString();
    }
  }
}
