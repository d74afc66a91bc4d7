package io.glimpse.pipeline.web;

import io.glimpse.pipeline.dlq.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * One dead letter as the page shows it.
 *
 * @param key the record key, or null
 * @param reason the {@code glimpse.dlq.reason} header
 * @param message what was wrong, in words
 * @param source where the record came from: {@code topic-partition@offset}
 * @param time when it was dead-lettered (epoch ms)
 * @param thumbnail a small PNG as a data URI where the bytes decode, else null
 */
public record DeadLetterItem(
    String key, String reason, String message, String source, long time, String thumbnail) {

  /** The item of a dead-letter record, with the thumbnail given (null when none). */
  static DeadLetterItem of(ConsumerRecord<byte[], byte[]> record, String thumbnail) {
    Headers headers = record.headers();
    return new DeadLetterItem(
        record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
        DeadLetterHeaders.get(headers, DeadLetterHeaders.REASON),
        DeadLetterHeaders.get(headers, DeadLetterHeaders.MESSAGE),
        DeadLetterHeaders.get(headers, DeadLetterHeaders.SOURCE_TOPIC)
            + "-"
            + DeadLetterHeaders.get(headers, DeadLetterHeaders.SOURCE_PARTITION)
            + "@"
            + DeadLetterHeaders.get(headers, DeadLetterHeaders.SOURCE_OFFSET),
        record.timestamp(),
        thumbnail);
  }
}
