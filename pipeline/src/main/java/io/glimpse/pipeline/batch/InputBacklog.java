package io.glimpse.pipeline.batch;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * What the stream threads' consumers last knew about each input partition: the offset of the last
 * record a poll handed to Kafka Streams, and how many records were still behind it then (the
 * consumer's lag: fetched but not yet returned, or not yet fetched). From that a batcher can tell,
 * at each record, whether another record of its partition is already waiting: if not, a batch that
 * waits for more would only wait for the linger clock, so it is classified now (natural batching:
 * small batches at low load, full ones under a backlog).
 *
 * <p>A partition this object knows nothing about (the consumer has not polled it yet, or the
 * topology runs in {@code TopologyTestDriver} without a consumer) reports "maybe more": the batch
 * waits for its size or its linger, as it always did. Written by the stream threads' consumers and
 * read by the batchers on the same threads; safe across threads all the same.
 */
public final class InputBacklog {
  private final Map<TopicPartition, Position> positions = new ConcurrentHashMap<>();

  /** The last poll of {@code partition} returned records up to {@code lastOffset}. */
  public void polled(TopicPartition partition, long lastOffset, long lagAfter) {
    positions.put(partition, new Position(lastOffset, lagAfter));
  }

  /**
   * Whether nothing is known to wait behind {@code offset} of the partition: it is the last record
   * the consumer returned and the consumer saw no lag after it.
   */
  public boolean nothingWaitingAfter(String topic, int partition, long offset) {
    Position position = positions.get(new TopicPartition(topic, partition));
    return position != null && offset >= position.lastOffset() && position.lagAfter() <= 0;
  }

  private record Position(long lastOffset, long lagAfter) {}
}
