package io.glimpse.pipeline.dlq;

import io.glimpse.pipeline.batch.PendingRecord;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of a record on the dead-letter topic. The record keeps its original key, value and
 * headers byte for byte, so it can be replayed once fixed; these headers say why it is there and
 * where it came from.
 */
public final class DeadLetterHeaders {
  public static final String REASON = "glimpse.dlq.reason";
  public static final String EXCEPTION = "glimpse.dlq.exception";
  public static final String MESSAGE = "glimpse.dlq.message";
  public static final String SOURCE_TOPIC = "glimpse.dlq.source.topic";
  public static final String SOURCE_PARTITION = "glimpse.dlq.source.partition";
  public static final String SOURCE_OFFSET = "glimpse.dlq.source.offset";

  /**
   * Present when the dead letter carries no value although the source record had one (it was over
   * glimpse.image.max.bytes): the size of the value left out, in bytes.
   */
  public static final String VALUE_OMITTED_BYTES = "glimpse.dlq.value.omitted.bytes";

  private DeadLetterHeaders() {}

  /** The source record's headers plus the dead-letter headers. */
  public static Headers of(PendingRecord source, DeadLetter deadLetter) {
    return of(source.headers(), source.topic(), source.partition(), source.offset(), deadLetter);
  }

  /** A source record's headers, plus the dead-letter headers naming where it was read. */
  public static Headers of(
      Headers sourceHeaders, String topic, int partition, long offset, DeadLetter deadLetter) {
    Headers headers = new RecordHeaders(sourceHeaders.toArray());
    put(headers, REASON, deadLetter.reason().name());
    put(headers, EXCEPTION, deadLetter.exceptionClass());
    put(headers, MESSAGE, deadLetter.message());
    put(headers, SOURCE_TOPIC, topic);
    put(headers, SOURCE_PARTITION, Integer.toString(partition));
    put(headers, SOURCE_OFFSET, Long.toString(offset));
    return headers;
  }

  /** Says that the dead letter leaves out the source's value of {@code bytes} bytes. */
  public static void markValueOmitted(Headers headers, int bytes) {
    put(headers, VALUE_OMITTED_BYTES, Integer.toString(bytes));
  }

  /** Reads one header as text, or null when absent. */
  public static String get(Headers headers, String key) {
    var header = headers.lastHeader(key);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static void put(Headers headers, String key, String value) {
    headers.remove(key);
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
