package io.glimpse.schemas.registry.server;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The client settings of a {@link KafkaSchemaStore}: the caller's extra properties, then what the
 * store needs and does not let them override.
 *
 * <p>The producer's timeouts stay within the store's: {@code delivery.timeout.ms} and {@code
 * max.block.ms} equal it and {@code request.timeout.ms} does not exceed it, so a write has
 * succeeded or failed for good by the time the store reports it.
 *
 * @param bootstrapServers the brokers
 * @param clientProperties extra settings (security, for example)
 * @param timeout how long one store operation may take
 * @param transactionalId the id every registry writing the topic shares
 */
record StoreClientConfig(
    String bootstrapServers,
    Map<String, Object> clientProperties,
    Duration timeout,
    String transactionalId) {

  /** Settings for the admin client that checks the topic. */
  Map<String, Object> admin(String clientId) {
    return base(clientId);
  }

  /** Settings for the reader: committed records only, from the beginning, never creating topics. */
  Map<String, Object> consumer(String clientId) {
    Map<String, Object> props = base(clientId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // A fetch at the end of the log waits this long for news; a read that must seek waits for it.
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
    return props;
  }

  /** Settings for the transactional writer, its timeouts bounded by the store's. */
  Map<String, Object> producer(String clientId) {
    Map<String, Object> props = base(clientId);
    int timeoutMs = (int) timeout.toMillis();
    int requested =
        Integer.parseInt(
            String.valueOf(
                props.getOrDefault(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs)));
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(requested, timeoutMs));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (long) timeoutMs);
    // A transaction lasts at most a delivery and a commit; a writer that died holding one is
    // aborted by the next writer, or by the broker after this long.
    props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 2 * timeoutMs);
    return props;
  }

  private Map<String, Object> base(String clientId) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    return props;
  }
}
