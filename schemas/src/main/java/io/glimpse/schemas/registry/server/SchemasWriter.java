package io.glimpse.schemas.registry.server;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to the schema topic in Kafka transactions under one transactional id that every registry
 * writing the topic shares. Starting a writer ({@code initTransactions}) fences the previous one
 * and settles its open transaction, so at most one registry can commit at a time: a writer checks
 * that the log still ends where its registry read it, then commits; if another registry started
 * writing in between, the commit is refused. Either way nothing is stored behind a registry's back.
 *
 * <p>After any failure the producer is dropped; the next append starts a new one, which first
 * settles whatever the old one left open. Not thread-safe: {@link KafkaSchemaStore} guards it.
 */
final class SchemasWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SchemasWriter.class);

  private final String topic;
  private final Duration timeout;
  private final Supplier<Producer<String, String>> producers;
  private Producer<String, String> producer;

  SchemasWriter(String topic, Duration timeout, Supplier<Producer<String, String>> producers) {
    this.topic = topic;
    this.timeout = timeout;
    this.producers = producers;
  }

  /**
   * Commits the records to partition 0 if the committed log still ends at {@code end}.
   *
   * @param committedEnd reads the end of the committed log; called once this writer holds the
   *     transactional id
   * @throws StoreConflictException when the log has grown or another writer took over
   * @throws io.glimpse.schemas.registry.SchemaRegistryException when the write failed or timed out
   */
  void append(long end, List<StoreRecord> records, LongSupplier committedEnd) {
    Producer<String, String> writer = started();
    long actual = committedEnd.getAsLong();
    if (actual != end) {
      throw new StoreConflictException(
          "The schema log " + topic + " ends at offset " + actual + ", not at " + end + " as read",
          null);
    }
    try {
      writer.beginTransaction();
      for (StoreRecord record : records) {
        writer.send(new ProducerRecord<>(topic, 0, record.key(), record.value()));
      }
      writer.commitTransaction(); // flushes first, failing when a send failed
    } catch (KafkaException e) {
      drop();
      if (fenced(e)) {
        throw new StoreConflictException(
            "Another registry started writing to " + topic + " before this write committed", e);
      }
      throw SchemasTopic.failure("write to " + topic, e);
    }
  }

  /** Closes the producer, waiting up to the timeout for what it has in flight. */
  @Override
  public void close() {
    if (producer != null) {
      producer.close(timeout);
      producer = null;
    }
  }

  private Producer<String, String> started() {
    if (producer == null) {
      Producer<String, String> fresh = producers.get();
      try {
        fresh.initTransactions();
      } catch (KafkaException e) {
        fresh.close(Duration.ZERO);
        throw SchemasTopic.failure("start writing to " + topic, e);
      }
      producer = fresh;
      LOG.debug("Took over writing to {}", topic);
    }
    return producer;
  }

  private void drop() {
    try {
      producer.close(Duration.ZERO);
    } catch (KafkaException e) {
      LOG.debug("Closing a failed schema log writer failed too", e);
    }
    producer = null;
  }

  private static boolean fenced(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
        return true;
      }
    }
    return false;
  }
}
