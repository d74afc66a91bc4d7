package io.glimpse.ops.publish;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The producer settings the CLI's publishers share: acknowledged by all, bounded waits. */
final class ProducerSettings {
  private ProducerSettings() {}

  /**
   * The client's settings, plus (unless set) a client id, {@code acks=all}, a 5 ms linger and waits
   * bounded by {@code timeout}.
   */
  static Map<String, Object> of(
      Map<String, Object> clientConfig, String clientId, Duration timeout) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    config.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    int millis = (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE / 2);
    config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis);
    config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(millis, 10_000));
    // Kafka insists on delivery.timeout.ms >= linger.ms + request.timeout.ms.
    config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(millis, 10_005));
    return config;
  }
}
