package io.glimpse.pipeline.serving;

import io.glimpse.schemas.avro.ModelServingStatus;
import io.glimpse.schemas.avro.ReloadRefusal;
import io.glimpse.schemas.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an instance's {@link ServingStatus} to the compacted {@code model-serving-status} topic,
 * keyed by {@code <application.id>/<instance id>}, so operators see every instance's served version
 * and last refusal in one place ({@code bin/glimpse models status}). Best effort: a failed send is
 * logged, and the next status overwrites it.
 */
public final class ServingStatusPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServingStatusPublisher.class);

  private final KafkaProducer<String, ModelServingStatus> producer;
  private final String topic;
  private final String application;
  private final String instance;

  /**
   * A publisher.
   *
   * @param clientConfig bootstrap servers, security and registry settings
   * @param topic the status topic
   * @param application the pipeline's application.id
   * @param instance this instance's id
   */
  public ServingStatusPublisher(
      Map<String, Object> clientConfig, String topic, String application, String instance) {
    Map<String, Object> config = new HashMap<>();
    clientConfig.forEach(
        (k, v) -> {
          if (ProducerConfig.configNames().contains(k)) {
            config.put(k, v);
          }
        });
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "glimpse-status-" + instance);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    Serializer<ModelServingStatus> values =
        Topics.MODEL_SERVING_STATUS.valueSerde(clientConfig).serializer();
    this.producer = new KafkaProducer<>(config, new StringSerializer(), values);
    this.topic = topic;
    this.application = application;
    this.instance = instance;
  }

  /** Publishes the status (asynchronously). */
  public void publish(ServingStatus status) {
    ModelServingStatus value =
        ModelServingStatus.newBuilder()
            .setApplication(application)
            .setInstance(instance)
            .setModelName(status.modelName())
            .setDesiredVersion(status.desiredVersion())
            .setServedVersion(status.servedVersion())
            .setServedSha256(status.servedSha256())
            .setServedSince(status.servedSince())
            .setLastRefusal(
                status.lastRefusal() == null
                    ? null
                    : new ReloadRefusal(
                        status.lastRefusal().version(),
                        status.lastRefusal().reason(),
                        status.lastRefusal().refusedTime()))
            .setUpdatedTime(Instant.now())
            .build();
    try {
      producer.send(
          new ProducerRecord<>(topic, Topics.servingStatusKey(application, instance), value),
          (metadata, e) -> {
            if (e != null) {
              LOG.warn("Could not publish the serving status to {}: {}", topic, e.getMessage());
            }
          });
    } catch (RuntimeException e) {
      LOG.warn("Could not publish the serving status to {}: {}", topic, e.getMessage());
    }
  }

  /**
   * Removes this instance from the topic (a tombstone for its key: it stopped cleanly, it serves
   * nothing any more) and closes the producer. An instance that crashed keeps its last status, with
   * its {@code updatedTime}, until it comes back.
   */
  @Override
  public void close() {
    try {
      producer.send(
          new ProducerRecord<>(topic, Topics.servingStatusKey(application, instance), null));
    } catch (RuntimeException e) {
      LOG.warn("Could not remove this instance from {}: {}", topic, e.getMessage());
    }
    producer.close(Duration.ofSeconds(5));
  }
}
