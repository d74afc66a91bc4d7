package io.glimpse.ops.tail;

import io.glimpse.pipeline.dlq.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** A dead letter as one line for people, or as a JSON-ready map for scripts. */
public final class DeadLetterView {
  private static final String PREFIX = "glimpse.dlq.";

  private DeadLetterView() {}

  /**
   * One line: {@code <source topic>-<partition>@<offset> <reason> key <key> <message>
   * (<exception>)}, and the size of a value that was left out.
   */
  public static String line(ConsumerRecord<byte[], byte[]> record) {
    var headers = record.headers();
    String omitted = DeadLetterHeaders.get(headers, DeadLetterHeaders.VALUE_OMITTED_BYTES);
    String exception = DeadLetterHeaders.get(headers, DeadLetterHeaders.EXCEPTION);
    return String.format(
        "%s-%s@%s  %s  key %s  %s%s%s",
        orDash(DeadLetterHeaders.get(headers, DeadLetterHeaders.SOURCE_TOPIC)),
        orDash(DeadLetterHeaders.get(headers, DeadLetterHeaders.SOURCE_PARTITION)),
        orDash(DeadLetterHeaders.get(headers, DeadLetterHeaders.SOURCE_OFFSET)),
        orDash(DeadLetterHeaders.get(headers, DeadLetterHeaders.REASON)),
        key(record.key()),
        orDash(DeadLetterHeaders.get(headers, DeadLetterHeaders.MESSAGE)),
        exception == null ? "" : " (" + exception + ")",
        omitted == null ? "" : " [value of " + omitted + " bytes left out]");
  }

  /**
   * The key, value size, offset on the dead-letter topic and every {@code glimpse.dlq.*} header.
   */
  public static Map<String, Object> json(ConsumerRecord<byte[], byte[]> record) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("key", record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8));
    json.put("valueBytes", record.value() == null ? null : record.value().length);
    json.put("partition", record.partition());
    json.put("offset", record.offset());
    Map<String, Object> headers = new LinkedHashMap<>();
    for (Header header : record.headers()) {
      if (header.key().startsWith(PREFIX)) {
        headers.put(
            header.key(),
            header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
      }
    }
    json.put("headers", headers);
    return json;
  }

  private static String key(byte[] key) {
    return key == null ? "(none)" : new String(key, StandardCharsets.UTF_8);
  }

  private static String orDash(String value) {
    return value == null ? "-" : value;
  }
}
