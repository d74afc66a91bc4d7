package io.glimpse.pipeline.batch;

import io.glimpse.pipeline.dlq.DeadLetterHeaders;
import io.glimpse.pipeline.metrics.PipelineMetrics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable micro-batching. Each incoming record is written to a changelogged store keyed by its
 * partition and offset, never held only in memory; a batch is handed to the {@link BatchHandler}
 * when the store holds {@code maxSize} records or its oldest record has waited {@code maxLinger}
 * (checked by a wall-clock punctuator). Outcomes are forwarded to the predictions or dead-letter
 * sink and the batch's entries deleted, in the same task commit.
 *
 * <p>Kafka Streams commits the offsets of records that reached {@code process()}, so a batch kept
 * in a field would be lost on a crash. Here the store's changelog commits with those offsets (and,
 * under exactly_once_v2, atomically with the outputs), so after a crash every pending record is
 * restored and classified; a replayed record overwrites its own entry instead of duplicating it.
 */
public final class BatchingProcessor implements Processor<byte[], byte[], byte[], Object> {
  private static final Logger LOG = LoggerFactory.getLogger(BatchingProcessor.class);

  private final String storeName;
  private final BatchPolicy policy;
  private final BatchHandler handler;
  private final PipelineMetrics metrics;
  private final String predictionsChild;
  private final String deadLettersChild;

  private ProcessorContext<byte[], Object> context;
  private KeyValueStore<Bytes, byte[]> store;
  private int pending;
  private long oldestArrival = Long.MAX_VALUE;

  /**
   * Streams caches the system time for a whole loop of records; a record processed after a batch
   * was classified in the same loop would be stamped with the time before that batch and look older
   * than it is, so the linger punctuator would flush a half-filled batch. Arrivals are never
   * stamped earlier than the end of the last flush (same clock, advanced by its measured length).
   */
  private long notBefore = Long.MIN_VALUE;

  BatchingProcessor(
      String storeName,
      BatchPolicy policy,
      BatchHandler handler,
      PipelineMetrics metrics,
      String predictionsChild,
      String deadLettersChild) {
    this.storeName = storeName;
    this.policy = policy;
    this.handler = handler;
    this.metrics = metrics;
    this.predictionsChild = predictionsChild;
    this.deadLettersChild = deadLettersChild;
  }

  @Override
  public void init(ProcessorContext<byte[], Object> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    recountRestored();
    context.schedule(
        policy.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, this::flushIfLingered);
  }

  /**
   * After a restart the store may hold records restored from its changelog. Streams also calls
   * {@code init} again on this same instance when its task resumes or is revived, so the counters
   * start from the store, never from what this instance counted before.
   */
  private void recountRestored() {
    pending = 0;
    oldestArrival = Long.MAX_VALUE;
    try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
      while (all.hasNext()) {
        PendingRecord record = PendingRecordCodec.decode(all.next().value);
        pending++;
        oldestArrival = Math.min(oldestArrival, record.arrivalMillis());
      }
    }
    if (pending > 0) {
      LOG.info("Task {} restored {} pending images from its changelog", context.taskId(), pending);
    }
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata source = context.recordMetadata().orElseThrow();
    long now = Math.max(context.currentSystemTimeMs(), notBefore);
    PendingRecord pendingRecord =
        new PendingRecord(
            source.topic(),
            source.partition(),
            source.offset(),
            record.timestamp(),
            now,
            record.key(),
            record.value(),
            record.headers());
    Bytes key = pendingRecord.pendingKey().toBytes();
    if (store.get(key) == null) {
      pending++;
    }
    store.put(key, PendingRecordCodec.encode(pendingRecord));
    oldestArrival = Math.min(oldestArrival, now);
    if (pending >= policy.maxSize()) {
      flush(now);
    }
  }

  private void flushIfLingered(long now) {
    if (pending > 0 && now - oldestArrival >= policy.maxLinger().toMillis()) {
      flush(now);
    }
  }

  /** Classifies everything pending, in batches of at most maxSize, oldest first. */
  private void flush(long now) {
    long started = System.nanoTime();
    List<KeyValue<Bytes, PendingRecord>> entries = new ArrayList<>(pending);
    try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
      all.forEachRemaining(
          kv -> entries.add(KeyValue.pair(kv.key, PendingRecordCodec.decode(kv.value))));
    }
    for (int from = 0; from < entries.size(); from += policy.maxSize()) {
      List<KeyValue<Bytes, PendingRecord>> chunk =
          entries.subList(from, Math.min(entries.size(), from + policy.maxSize()));
      handleChunk(chunk, now);
    }
    pending = 0;
    oldestArrival = Long.MAX_VALUE;
    notBefore = now + (System.nanoTime() - started) / 1_000_000;
  }

  private void handleChunk(List<KeyValue<Bytes, PendingRecord>> chunk, long now) {
    List<PendingRecord> batch = chunk.stream().map(kv -> kv.value).toList();
    List<BatchOutcome> outcomes = handler.handle(batch, now);
    if (outcomes.size() != batch.size()) {
      throw new IllegalStateException(
          "BatchHandler returned "
              + outcomes.size()
              + " outcomes for "
              + batch.size()
              + " records");
    }
    for (BatchOutcome outcome : outcomes) {
      forward(outcome);
    }
    chunk.forEach(kv -> store.delete(kv.key));
    metrics.recordBatch(batch, now);
  }

  private void forward(BatchOutcome outcome) {
    PendingRecord source = outcome.source();
    if (outcome instanceof BatchOutcome.Predicted predicted) {
      context.forward(
          new Record<byte[], Object>(
              source.key(), predicted.prediction(), source.timestamp(), source.headers()),
          predictionsChild);
    } else if (outcome instanceof BatchOutcome.Rejected rejected) {
      // Per-record detail at DEBUG: the dead-letter topic and glimpse_dlq_records_total are the
      // record; a flood of bad input must not flood the log too.
      LOG.debug(
          "Dead-lettering {}-{}@{}: {} ({})",
          source.topic(),
          source.partition(),
          source.offset(),
          rejected.deadLetter().reason(),
          rejected.deadLetter().message());
      metrics.recordDeadLetter(rejected.deadLetter().reason());
      context.forward(
          new Record<byte[], Object>(
              source.key(),
              source.value(),
              source.timestamp(),
              DeadLetterHeaders.of(source, rejected.deadLetter())),
          deadLettersChild);
    }
  }
}
