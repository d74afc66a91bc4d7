package io.glimpse.ops.bench;

import java.time.Duration;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Polls an assigned consumer on a daemon thread of its own until closed, handing every record to a
 * handler. The first failure stops the thread and is kept for the owner to raise ({@link
 * #checkAlive()}); when the thread ends it closes the consumer and the handler's deserializer.
 */
final class BackgroundPoller implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Deserializer<?> deserializer;
  private final Consumer<ConsumerRecord<byte[], byte[]>> handler;
  private final String reading;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile RuntimeException failure;

  private BackgroundPoller(
      String threadName,
      String reading,
      KafkaConsumer<byte[], byte[]> consumer,
      Deserializer<?> deserializer,
      Consumer<ConsumerRecord<byte[], byte[]>> handler) {
    this.reading = reading;
    this.consumer = consumer;
    this.deserializer = deserializer;
    this.handler = handler;
    this.thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
  }

  /**
   * Starts polling.
   *
   * @param threadName the polling thread's name
   * @param reading what is read, as the failure's message names it (e.g. {@code the predictions})
   * @param consumer a consumer assigned its partitions already
   * @param deserializer the one the handler uses, closed with the consumer
   * @param handler called on the polling thread with each record
   */
  static BackgroundPoller start(
      String threadName,
      String reading,
      KafkaConsumer<byte[], byte[]> consumer,
      Deserializer<?> deserializer,
      Consumer<ConsumerRecord<byte[], byte[]>> handler) {
    BackgroundPoller poller =
        new BackgroundPoller(threadName, reading, consumer, deserializer, handler);
    poller.thread.start();
    return poller;
  }

  private void run() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
          handler.accept(record);
        }
      }
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      consumer.close();
      deserializer.close();
    }
  }

  /** Throws {@link IllegalStateException} if polling failed. */
  void checkAlive() {
    if (failure != null) {
      throw new IllegalStateException("Reading " + reading + " failed: " + failure, failure);
    }
  }

  /** Stops polling; waits up to 10 s for the thread to close the consumer. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
