package io.glimpse.ops.publish;

import io.glimpse.schemas.avro.ImageLabel;
import io.glimpse.schemas.topic.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * Publishes true labels to {@code labels}: keyed by image id (so each meets its image's predictions
 * in the same partition), timestamped with the label's own time (the join compares it with the
 * prediction's).
 */
public final class LabelPublisher implements AutoCloseable {
  private final KafkaProducer<String, ImageLabel> producer;
  private final String topic;
  private final Duration timeout;
  private Future<RecordMetadata> last;

  /**
   * Creates a publisher.
   *
   * @param clientConfig the producer's settings (bootstrap servers, security)
   * @param serdeConfig the serde's settings (registry URL and credentials)
   * @param topic where to send, usually {@code labels}
   * @param timeout how long a send may wait for Kafka
   */
  public LabelPublisher(
      Map<String, Object> clientConfig,
      Map<String, Object> serdeConfig,
      String topic,
      Duration timeout) {
    Map<String, Object> config = ProducerSettings.of(clientConfig, "glimpse-label", timeout);
    this.producer =
        new KafkaProducer<>(
            config,
            Topics.LABELS.keySerde(serdeConfig).serializer(),
            Topics.LABELS.valueSerde(serdeConfig).serializer());
    this.topic = topic;
    this.timeout = timeout;
  }

  /** Sends one label; {@link #flush()} waits for all of them. */
  public void send(ImageLabel label) {
    last =
        producer.send(
            new ProducerRecord<>(
                topic, null, label.getLabelTime().toEpochMilli(), label.getImageId(), label));
  }

  /**
   * Waits until every label sent so far is acknowledged.
   *
   * @throws KafkaException when Kafka refused one or did not answer in time
   */
  public void flush() {
    producer.flush();
    if (last == null) {
      return;
    }
    try {
      last.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new KafkaException("Kafka refused a label: " + e.getCause().getMessage(), e);
    } catch (TimeoutException e) {
      throw new KafkaException("Kafka did not acknowledge the labels within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("Interrupted while publishing labels", e);
    }
  }

  @Override
  public void close() {
    producer.close(timeout);
  }
}
