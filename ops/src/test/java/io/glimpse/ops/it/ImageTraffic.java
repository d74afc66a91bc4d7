package io.glimpse.ops.it;

import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.topic.Topics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes images to a test's images topic: all at once, or paced in small bursts from a
 * background thread while the test kills pipelines. Remembers every id the broker acknowledged.
 */
final class ImageTraffic implements AutoCloseable {
  static final int SIDE = 28;

  private final String topic;
  private final KafkaProducer<String, ImageEvent> images;
  private final KafkaProducer<byte[], byte[]> raw;
  private final Set<String> acknowledged = new LinkedHashSet<>();
  private final CompletableFuture<Void> paced = new CompletableFuture<>();
  private ScheduledExecutorService pacer;

  ImageTraffic(Map<String, Object> clientConfig, String topic) {
    this.topic = topic;
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    this.images =
        new KafkaProducer<>(
            config,
            Topics.IMAGES.keySerde(clientConfig).serializer(),
            Topics.IMAGES.valueSerde(clientConfig).serializer());
    this.raw = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** A 28×28 raw gray image whose pixels follow from its id. */
  static ImageEvent image(String id) {
    byte[] pixels = new byte[SIDE * SIDE];
    new Random(id.hashCode()).nextBytes(pixels);
    return event(id, "application/x-raw-pixels", pixels)
        .setWidth(SIDE)
        .setHeight(SIDE)
        .setChannels(1)
        .build();
  }

  /** An image event with the given content type and bytes, no dimensions. */
  static ImageEvent.Builder event(String id, String contentType, byte[] data) {
    return ImageEvent.newBuilder()
        .setId(id)
        .setSource("it")
        .setContentType(contentType)
        .setData(ByteBuffer.wrap(data))
        .setEventTime(Instant.now())
        .setLabel("class-1");
  }

  /** Publishes {@code prefix-from … prefix-(from+count-1)}, keyed by id; returns once acked. */
  List<String> publish(String prefix, int from, int count) {
    List<ImageEvent> events = new ArrayList<>(count);
    for (int i = from; i < from + count; i++) {
      events.add(image(prefix + "-" + i));
    }
    return publish(events);
  }

  /** Publishes the events keyed by id; returns the ids once the broker acknowledged them all. */
  List<String> publish(List<ImageEvent> events) {
    List<Future<RecordMetadata>> sends = new ArrayList<>(events.size());
    for (ImageEvent event : events) {
      sends.add(images.send(new ProducerRecord<>(topic, event.getId(), event)));
    }
    images.flush();
    List<String> ids = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      await(sends.get(i));
      ids.add(events.get(i).getId());
    }
    synchronized (acknowledged) {
      acknowledged.addAll(ids);
    }
    return ids;
  }

  /** Publishes one event keyed by its id with the given headers; returns once acked. */
  void publish(ImageEvent event, Headers headers) {
    await(images.send(new ProducerRecord<>(topic, null, event.getId(), event, headers)));
    synchronized (acknowledged) {
      acknowledged.add(event.getId());
    }
  }

  /** Publishes raw key and value bytes (either may be null), bypassing the Avro serializer. */
  void publishRaw(byte[] key, byte[] value) {
    raw.send(new ProducerRecord<>(topic, key, value));
    raw.flush();
  }

  /**
   * Starts publishing {@code total} images in bursts of {@code burst} every {@code every} from a
   * background thread; {@link #awaitPaced} waits for the last one.
   */
  synchronized void startPaced(String prefix, int total, int burst, Duration every) {
    if (pacer != null) {
      throw new IllegalStateException("Paced publishing already started");
    }
    pacer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "image-traffic");
              t.setDaemon(true);
              return t;
            });
    int[] next = {0};
    pacer.scheduleAtFixedRate(
        () -> {
          try {
            int count = Math.min(burst, total - next[0]);
            publish(prefix, next[0], count);
            next[0] += count;
            if (next[0] >= total) {
              paced.complete(null);
              pacer.shutdown();
            }
          } catch (RuntimeException e) {
            paced.completeExceptionally(e);
            pacer.shutdown();
          }
        },
        0,
        every.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** True once paced publishing finished (or failed). */
  boolean pacedDone() {
    return paced.isDone();
  }

  /** Waits for paced publishing to finish; rethrows its failure. */
  void awaitPaced(Duration timeout) {
    try {
      paced.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Paced publishing did not finish: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every image id the broker acknowledged so far, in publishing order. */
  Set<String> acknowledged() {
    synchronized (acknowledged) {
      return new LinkedHashSet<>(acknowledged);
    }
  }

  private static void await(Future<RecordMetadata> send) {
    try {
      send.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Publishing an image failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (pacer != null) {
        pacer.shutdownNow();
      }
    }
    images.close(Duration.ofSeconds(10));
    raw.close(Duration.ofSeconds(10));
  }
}
