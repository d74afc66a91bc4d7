package io.glimpse.ops.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes the benchmark's serialized images: all at once before a throughput phase, or at a fixed
 * rate for the latency probe. Each record's timestamp is the wall-clock time of its send, and a
 * prediction keeps its image's timestamp, so a prediction says when its image was published.
 */
final class ImagePublisher implements AutoCloseable {
  /** Producer settings that shape the measurement; the report prints them. */
  static final Map<String, Object> SETTINGS =
      Map.of(ProducerConfig.LINGER_MS_CONFIG, 0, ProducerConfig.ACKS_CONFIG, "all");

  private final KafkaProducer<byte[], byte[]> producer;
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  ImagePublisher(String bootstrapServers) {
    Map<String, Object> config = new HashMap<>(SETTINGS);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "glimpse-bench-publisher");
    this.producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Publishes every image to {@code topic} and waits until the broker has them all. */
  void publishAll(String topic, BenchImages images) {
    for (int i = 0; i < images.count(); i++) {
      send(topic, images, i);
    }
    flush();
  }

  /**
   * Publishes {@code count} images, cycling through {@code images}, evenly spaced at {@code
   * perSecond}, on the calling thread; returns when the last one was sent and acknowledged.
   */
  void publishPaced(String topic, BenchImages images, double perSecond, int count) {
    long start = System.nanoTime();
    for (int i = 0; i < count && failure.get() == null; i++) {
      long due = start + (long) (i * 1e9 / perSecond);
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      send(topic, images, i % images.count());
    }
    flush();
  }

  private void send(String topic, BenchImages images, int i) {
    send(topic, images.key(i), images.value(i));
  }

  /** Sends one record, stamped with the wall-clock time; a failure shows at the next flush. */
  void send(String topic, byte[] key, byte[] value) {
    producer.send(
        new ProducerRecord<>(topic, null, System.currentTimeMillis(), key, value),
        (metadata, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
        });
  }

  /** Waits until the broker has every record sent; throws if any failed. */
  void flush() {
    producer.flush();
    Exception e = failure.get();
    if (e != null) {
      throw new IllegalStateException("Publishing benchmark images failed: " + e, e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
