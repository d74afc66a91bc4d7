package io.glimpse.pipeline.batch;

import org.apache.kafka.common.header.Headers;

/**
 * One input record waiting in the batch buffer, exactly as it arrived: its bytes (which may not
 * even deserialize), where it came from, and when.
 *
 * @param topic source topic
 * @param partition source partition
 * @param offset source offset
 * @param timestamp the record's Kafka timestamp (kept on its prediction)
 * @param arrivalMillis wall-clock time the pipeline received it
 * @param key the key bytes (may be null)
 * @param value the value bytes (may be null)
 * @param headers the record's headers (carried to its prediction or dead letter)
 */
public record PendingRecord(
    String topic,
    int partition,
    long offset,
    long timestamp,
    long arrivalMillis,
    byte[] key,
    byte[] value,
    Headers headers) {

  /** The buffer key: partition and offset, so a replayed record overwrites itself. */
  public PendingKey pendingKey() {
    return new PendingKey(partition, offset);
  }
}
