package io.glimpse.ops.demo;

import io.glimpse.ops.publish.ImageEvents;
import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.avro.ImageLabel;
import io.glimpse.schemas.topic.Topics;
import io.glimpse.trainer.data.ImageDataset;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's producer: publishes labelled test images as raw-pixel ImageEvents at a steady rate,
 * and every 50th record something broken (a record that is not Avro, an undecodable PNG, a
 * tombstone) so the dead-letter topic has something to show.
 */
public final class DemoTraffic implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DemoTraffic.class);
  private static final int BAD_EVERY = 50;

  private final ImageDataset images;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Serializer<ImageEvent> serializer;
  private final String topic;
  private final ScheduledExecutorService scheduler;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong labelsSent = new AtomicLong();
  private final String labelsTopic = Topics.LABELS.name();
  private final Serializer<ImageLabel> labelSerializer;

  /** How long after an image its true label is published, as if a reviewer gave it. */
  public static final Duration LABEL_DELAY = Duration.ofSeconds(2);

  /** Tells this run's images from those an earlier run left unclassified. */
  private final String run = ImageEvents.runTag();

  /** The prefix of every image id (and key) this run publishes. */
  public String idPrefix() {
    return "demo-" + run + "-";
  }

  /** A producer to the stack described by {@code clientConfig} (bootstrap + registry). */
  public DemoTraffic(ImageDataset images, Map<String, Object> clientConfig, String topic) {
    this.images = images;
    this.topic = topic;
    this.serializer = Topics.IMAGES.valueSerde(clientConfig).serializer();
    this.labelSerializer = Topics.LABELS.valueSerde(clientConfig).serializer();
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                clientConfig.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG),
                ProducerConfig.LINGER_MS_CONFIG,
                5),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "glimpse-demo-traffic");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts publishing {@code perSecond} records a second. */
  public void start(int perSecond) {
    long periodMicros = 1_000_000L / perSecond;
    scheduler.scheduleAtFixedRate(this::sendOne, 0, periodMicros, TimeUnit.MICROSECONDS);
  }

  /** Records sent so far, broken ones included. */
  public long sent() {
    return sent.get();
  }

  /** Of the records sent so far, those broken on purpose. */
  public long brokenSent() {
    return sent.get() / BAD_EVERY;
  }

  /**
   * Stops publishing and waits until the producer has sent what it holds, so that everything
   * counted in {@link #sent()} is on its way to the pipeline.
   *
   * @throws InterruptedException when interrupted while waiting for the last send
   */
  public void stop() throws InterruptedException {
    scheduler.shutdownNow();
    scheduler.awaitTermination(5, TimeUnit.SECONDS);
    producer.flush();
  }

  private void sendOne() {
    long n = sent.getAndIncrement();
    String id = String.format("%s%06d", idPrefix(), n);
    byte[] key = id.getBytes(StandardCharsets.UTF_8);
    try {
      if (n % BAD_EVERY == BAD_EVERY - 1) {
        producer.send(new ProducerRecord<>(topic, key, broken(n / BAD_EVERY, id)));
        return;
      }
      ImageEvent event = ImageEvents.raw(images, (int) (n % images.size()), id, "glimpse-demo");
      producer.send(new ProducerRecord<>(topic, key, serializer.serialize(topic, event)));
      if (event.getLabel() != null) {
        scheduler.schedule(
            () -> sendLabel(key, event.getLabel()), LABEL_DELAY.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (RuntimeException e) {
      LOG.warn("Could not publish {}: {}", id, e.getMessage());
    }
  }

  /** The image's true label, as a reviewer would give it a little later. */
  private void sendLabel(byte[] key, String label) {
    String id = new String(key, StandardCharsets.UTF_8);
    Instant now = Instant.now();
    try {
      producer.send(
          new ProducerRecord<>(
              labelsTopic,
              null,
              now.toEpochMilli(),
              key,
              labelSerializer.serialize(
                  labelsTopic, new ImageLabel(id, label, "glimpse-demo:reviewer", now))));
      labelsSent.incrementAndGet();
    } catch (RuntimeException e) {
      LOG.warn("Could not publish the label of {}: {}", id, e.getMessage());
    }
  }

  /** Labels sent so far (each good image's, {@link #LABEL_DELAY} after the image). */
  public long labelsSent() {
    return labelsSent.get();
  }

  private byte[] broken(long kind, String id) {
    return switch ((int) (kind % 3)) {
      case 0 -> "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
      case 1 ->
          serializer.serialize(
              topic,
              ImageEvent.newBuilder()
                  .setId(id)
                  .setSource("glimpse-demo")
                  .setContentType("image/png")
                  .setData(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0}))
                  .setEventTime(Instant.now())
                  .build());
      default -> null;
    };
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    producer.close();
  }
}
