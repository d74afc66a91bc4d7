package io.glimpse.ops.publish;

import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends {@code ImageEvent}s to the images topic, keyed by their id, at a steady rate (the record
 * timestamp is the send's wall-clock time, which the pipeline's end-to-end latency starts from).
 * Sends are asynchronous; a record the broker refuses is counted and kept with its reason, and the
 * rest go on.
 */
public final class EventPublisher implements AutoCloseable {
  private final KafkaProducer<String, ImageEvent> producer;
  private final String topic;
  private final Pacer pacer;
  private final AtomicLong acknowledged = new AtomicLong();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

  /**
   * Creates a publisher.
   *
   * @param clientConfig the producer's settings (bootstrap servers, security)
   * @param serdeConfig the serde's settings (registry URL and credentials)
   * @param topic where to send
   * @param perSecond events a second; 0 for as fast as the producer takes them
   * @param timeout how long a send may wait for Kafka before it fails
   */
  public EventPublisher(
      Map<String, Object> clientConfig,
      Map<String, Object> serdeConfig,
      String topic,
      double perSecond,
      Duration timeout) {
    Map<String, Object> config = ProducerSettings.of(clientConfig, "glimpse-publish", timeout);
    this.producer =
        new KafkaProducer<>(
            config,
            Topics.IMAGES.keySerde(serdeConfig).serializer(),
            Topics.IMAGES.valueSerde(serdeConfig).serializer());
    this.topic = topic;
    this.pacer = new Pacer(perSecond);
  }

  /**
   * Waits until the event is due, then sends it.
   *
   * @throws org.apache.kafka.common.KafkaException when Kafka or the schema registry cannot be
   *     reached (nothing more can be sent then)
   */
  public void send(ImageEvent event) {
    pacer.awaitNext();
    String id = event.getId();
    producer.send(
        new ProducerRecord<>(topic, null, System.currentTimeMillis(), id, event),
        (metadata, e) -> {
          if (e == null) {
            acknowledged.incrementAndGet();
          } else {
            failures.add(id + ": Kafka refused it: " + e.getMessage());
          }
        });
  }

  /** Waits until every event sent so far is acknowledged or failed. */
  public void flush() {
    producer.flush();
  }

  /** Events the broker has acknowledged. */
  public long acknowledged() {
    return acknowledged.get();
  }

  /** Takes the messages of the sends that failed since the last call, one per event. */
  public List<String> takeFailures() {
    List<String> taken = new ArrayList<>();
    for (String failure; (failure = failures.poll()) != null; ) {
      taken.add(failure);
    }
    return taken;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
