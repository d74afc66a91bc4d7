package io.glimpse.pipeline.web;

import io.glimpse.lifecycle.KafkaConnection;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.schemas.serde.AvroSerdeConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The Kafka settings of the page's own readers, taken from the pipeline's pass-through keys (the
 * same brokers, security and registry), minus everything that belongs to Kafka Streams.
 */
final class WebClients {
  /** How long one read of a lifecycle topic may take before the page says it could not. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

  private static final Set<String> OWN_KEYS =
      Set.of(
          ConsumerConfig.GROUP_ID_CONFIG,
          ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
          ConsumerConfig.CLIENT_ID_CONFIG,
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
          ConsumerConfig.ISOLATION_LEVEL_CONFIG,
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG);

  private WebClients() {}

  /**
   * A consumer that joins no group, commits nothing, sees committed records only, fetches little at
   * a time and never creates a topic.
   */
  static Map<String, Object> consumerConfig(PipelineConfig config, String clientId) {
    Map<String, Object> consumer = new HashMap<>();
    config
        .streamsProperties()
        .forEach(
            (k, v) -> {
              String key = (String) k;
              if (ConsumerConfig.configNames().contains(key) && !OWN_KEYS.contains(key)) {
                consumer.put(key, v);
              }
            });
    consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    consumer.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    // Few, larger fetches: at a high rate the broker answers every 200 ms, not for every batch.
    consumer.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
    consumer.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 200);
    consumer.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * 1024 * 1024);
    consumer.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1024 * 1024);
    consumer.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READ_TIMEOUT.toMillis());
    return consumer;
  }

  /** The connection the lifecycle readers use: the same brokers, registry and security. */
  static KafkaConnection kafka(PipelineConfig config) {
    Map<String, Object> properties = new HashMap<>();
    config
        .streamsProperties()
        .forEach(
            (k, v) -> {
              String key = (String) k;
              if (key.startsWith("security.")
                  || key.startsWith("sasl.")
                  || key.startsWith("ssl.")
                  || key.startsWith("basic.auth.")) {
                properties.put(key, v);
              }
            });
    properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "glimpse-web-models");
    return KafkaConnection.builder()
        .setBootstrapServers(
            String.valueOf(
                config.streamsProperties().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)))
        .setSchemaRegistryUrl(
            String.valueOf(config.serdeConfig().get(AvroSerdeConfig.SCHEMA_REGISTRY_URL)))
        .optProperties(properties)
        .optTimeout(READ_TIMEOUT)
        .build();
  }
}
