package io.glimpse.pipeline.batch;

import io.glimpse.pipeline.dlq.DeadLetter;
import io.glimpse.pipeline.dlq.DeadLetterHeaders;
import io.glimpse.pipeline.dlq.DeadLetterReason;
import io.glimpse.pipeline.metrics.PipelineMetrics;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable micro-batching. Each incoming record is written to a changelogged store keyed by its
 * partition and offset, never held only in memory; a batch is handed to the {@link BatchHandler}
 * when the store holds {@code maxSize} records, when the {@link InputBacklog} says no further
 * record of the partition is waiting (then a commit is requested too, paced by the thread's {@link
 * CommitPacer}), or at the latest when its oldest record has waited {@code maxLinger} (checked by a
 * wall-clock punctuator). Outcomes are forwarded to the predictions or dead-letter sink, and the
 * batch's entries deleted in the same transaction (exactly_once_v2) or after the commit that made
 * the outcomes durable (at_least_once; see {@link PendingBuffer}).
 *
 * <p>Kafka Streams commits the offsets of records that reached {@code process()}, so a batch kept
 * in a field would be lost on a crash. Here the store's changelog commits with those offsets (and,
 * under exactly_once_v2, atomically with the outputs), so after a crash every pending record is
 * restored and classified; a replayed record overwrites its own entry instead of duplicating it.
 *
 * <p>Failures, as the {@link FaultPolicy} says: a value over the byte limit is dead-lettered before
 * it is buffered; a record whose buffering throws is tried again in place and dead-lettered as
 * PROCESSING_FAILED once it failed {@code maxConsecutiveFailures} times in a row; a batch that
 * meets an outage ({@link RetriableBatchException}) stays buffered and is retried with backoff; a
 * batch whose handler throws otherwise fails the task ({@link BatchFailedException}).
 */
public final class BatchingProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  private static final Logger LOG = LoggerFactory.getLogger(BatchingProcessor.class);

  private final String storeName;
  private final BatchPolicy policy;
  private final BatchHandler handler;
  private final PipelineMetrics metrics;
  private final FaultTracker faults;
  private final TaskCommits commits;
  private final InputBacklog backlog;
  private final CommitPacers pacers;
  private final String predictionsChild;
  private final String deadLettersChild;

  private ProcessorContext<byte[], byte[]> context;
  private PendingBuffer buffer;
  private CommitPacer pacer;

  /** While an outage lasts: no flush before this time, and the wait after the next failure. */
  private long retryAt = Long.MIN_VALUE;

  private Duration retryDelay = Duration.ZERO;

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
      FaultTracker faults,
      TaskCommits commits,
      InputBacklog backlog,
      CommitPacers pacers,
      String predictionsChild,
      String deadLettersChild) {
    this.storeName = storeName;
    this.backlog = backlog;
    this.pacers = pacers;
    this.policy = policy;
    this.handler = handler;
    this.metrics = metrics;
    this.faults = faults;
    this.commits = commits;
    this.predictionsChild = predictionsChild;
    this.deadLettersChild = deadLettersChild;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.pacer = pacers.forThisThread(context);
    if (buffer == null) {
      buffer = new PendingBuffer(context.taskId(), commits, atLeastOnce(context));
    }
    // Streams calls init again on this same instance when its task resumes or is revived, so the
    // counts always start from the store, which may hold records restored from its changelog.
    buffer.attach(context.getStateStore(storeName));
    if (buffer.waiting() > 0) {
      LOG.info(
          "Task {} restored {} pending images from its changelog",
          context.taskId(),
          buffer.waiting());
    }
    context.schedule(
        policy.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, this::flushIfLingered);
  }

  private static boolean atLeastOnce(ProcessorContext<?, ?> context) {
    return StreamsConfig.AT_LEAST_ONCE.equals(
        context.appConfigs().get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    long started = System.nanoTime();
    RecordMetadata source = context.recordMetadata().orElseThrow();
    long now = Math.max(context.currentSystemTimeMs(), notBefore);
    accept(record, source, now);
    if (policy.flushWhenIdle()
        && backlog.nothingWaitingAfter(source.topic(), source.partition(), source.offset())) {
      flushIdle(now);
    }
    long ended = System.nanoTime();
    pacer.busy(ended, ended - started);
  }

  /**
   * No further record of this task's partition is waiting: classify what is pending now rather than
   * wait for company that is not coming, and, with nothing left, ask for a commit so that the
   * predictions are visible at once (under exactly_once_v2 a read_committed consumer sees them only
   * after the commit; under at_least_once the commit flushes the producer).
   */
  private void flushIdle(long now) {
    if (buffer.waiting() > 0) {
      flush(now);
    }
    if (policy.commitWhenIdle()
        && buffer.waiting() == 0
        && retryAt == Long.MIN_VALUE
        && pacer.requestNow(System.nanoTime())) {
      context.commit();
    }
  }

  private void accept(Record<byte[], byte[]> record, RecordMetadata source, long now) {
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
    int maxBytes = faults.policy().maxImageBytes();
    if (record.value() != null && record.value().length > maxBytes) {
      deadLetter(
          pendingRecord,
          new DeadLetter(
              DeadLetterReason.IMAGE_TOO_LARGE,
              "io.glimpse.pipeline.ImageTooLarge",
              "The value has "
                  + record.value().length
                  + " bytes, more than glimpse.image.max.bytes="
                  + maxBytes
                  + "; raise it together with the producer, topic and changelog limits"),
          false);
      return;
    }
    buffer.deleteCommitted();
    if (!buffer(pendingRecord)) {
      return;
    }
    if (buffer.waiting() >= policy.maxSize()) {
      flush(now);
    }
  }

  /**
   * Writes the record to the buffer, trying up to maxConsecutiveFailures times; a record that fails
   * every time (say a header key over the codec's 64 KB) is dead-lettered as PROCESSING_FAILED and
   * the partition moves on. The attempts run in place: letting the thread die to retry would cost a
   * rebalance each time (a replaced thread's member stays in the group until its session times out)
   * and would replay the records before it too. Kafka Streams' own exceptions (a task migrated, a
   * changelog send failed) are not the record's fault and propagate untouched.
   *
   * @return whether the record was buffered
   */
  private boolean buffer(PendingRecord pendingRecord) {
    int limit = faults.policy().maxConsecutiveFailures();
    for (int attempt = 1; ; attempt++) {
      try {
        buffer.add(pendingRecord);
        return true;
      } catch (StreamsException e) {
        throw e;
      } catch (RuntimeException e) {
        if (attempt < limit) {
          LOG.warn(
              "Processing {}-{}@{} failed ({} of {} attempts before it is dead-lettered)",
              pendingRecord.topic(),
              pendingRecord.partition(),
              pendingRecord.offset(),
              attempt,
              limit,
              e);
          continue;
        }
        LOG.error(
            "Processing {}-{}@{} failed {} times in a row; dead-lettering it as PROCESSING_FAILED",
            pendingRecord.topic(),
            pendingRecord.partition(),
            pendingRecord.offset(),
            attempt,
            e);
        deadLetter(pendingRecord, DeadLetter.of(DeadLetterReason.PROCESSING_FAILED, e), true);
        return false;
      }
    }
  }

  private void flushIfLingered(long now) {
    long started = System.nanoTime();
    if (pacer.due(started)) {
      context.commit(); // requested when idle, paced (CommitPacer)
    }
    buffer.deleteCommitted();
    boolean retryDue = retryAt != Long.MIN_VALUE && now >= retryAt;
    if (buffer.waiting() > 0
        && (retryDue || now - buffer.oldestArrival() >= policy.maxLinger().toMillis())) {
      flush(now);
      long ended = System.nanoTime();
      pacer.busy(ended, ended - started);
    }
  }

  /**
   * Classifies everything pending, in batches of at most maxSize, oldest first. A batch that meets
   * an outage stays in the buffer with everything after it, and is retried after a backoff.
   */
  private void flush(long now) {
    if (now < retryAt) {
      return;
    }
    long started = System.nanoTime();
    List<KeyValue<Bytes, PendingRecord>> entries = buffer.waitingEntries();
    try {
      for (int from = 0; from < entries.size(); from += policy.maxSize()) {
        List<KeyValue<Bytes, PendingRecord>> chunk =
            entries.subList(from, Math.min(entries.size(), from + policy.maxSize()));
        handleChunk(chunk, now);
      }
    } catch (RetriableBatchException e) {
      backOff(now, e);
      return;
    }
    if (retryAt != Long.MIN_VALUE) {
      LOG.info("Task {}: the outage is over; classifying again", context.taskId());
      retryAt = Long.MIN_VALUE;
      retryDelay = Duration.ZERO;
      faults.available(context.taskId());
    }
    buffer.emptied();
    notBefore = now + (System.nanoTime() - started) / 1_000_000;
  }

  private void backOff(long now, RetriableBatchException e) {
    FaultPolicy limits = faults.policy();
    retryDelay =
        retryDelay.isZero()
            ? limits.retryBackoff()
            : min(retryDelay.multipliedBy(2), limits.maxRetryBackoff());
    retryAt = now + retryDelay.toMillis();
    buffer.recount();
    LOG.warn(
        "Task {}: {}; {} images wait in the buffer, retrying in {} ms",
        context.taskId(),
        e.getMessage(),
        buffer.waiting(),
        retryDelay.toMillis());
    faults.unavailable(context.taskId(), e.getMessage(), retryDelay);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private void handleChunk(List<KeyValue<Bytes, PendingRecord>> chunk, long now) {
    List<PendingRecord> batch = chunk.stream().map(kv -> kv.value).toList();
    List<BatchOutcome> outcomes;
    try {
      outcomes = handler.handle(batch, now);
    } catch (RetriableBatchException e) {
      throw e;
    } catch (RuntimeException e) {
      int failures = faults.batchFailed(context.taskId());
      boolean exhausted = failures >= faults.policy().maxConsecutiveFailures();
      throw new BatchFailedException(context.taskId(), failures, exhausted, e);
    }
    faults.batchDone(context.taskId());
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
    buffer.classified(chunk);
    metrics.recordBatch(batch, now);
  }

  private void forward(BatchOutcome outcome) {
    PendingRecord source = outcome.source();
    if (outcome instanceof BatchOutcome.Predicted predicted) {
      context.forward(
          new Record<byte[], byte[]>(
              source.key(), predicted.prediction(), source.timestamp(), source.headers()),
          predictionsChild);
    } else if (outcome instanceof BatchOutcome.Rejected rejected) {
      deadLetter(source, rejected.deadLetter(), true);
    }
  }

  /**
   * Forwards a record to the dead-letter topic with its key, headers and (unless {@code keepValue}
   * is false, when a header says the value was left out) its value.
   */
  private void deadLetter(PendingRecord source, DeadLetter deadLetter, boolean keepValue) {
    // Per-record detail at DEBUG: the dead-letter topic and glimpse_dlq_records_total are the
    // record; a flood of bad input must not flood the log too.
    LOG.debug(
        "Dead-lettering {}-{}@{}: {} ({})",
        source.topic(),
        source.partition(),
        source.offset(),
        deadLetter.reason(),
        deadLetter.message());
    metrics.recordDeadLetter(deadLetter.reason());
    Headers headers = DeadLetterHeaders.of(source, deadLetter);
    if (!keepValue) {
      DeadLetterHeaders.markValueOmitted(headers, source.value().length);
    }
    context.forward(
        new Record<byte[], byte[]>(
            source.key(), keepValue ? source.value() : null, source.timestamp(), headers),
        deadLettersChild);
  }

  @Override
  public void close() {
    faults.available(context.taskId());
    if (buffer.awaitingCommit() > 0) {
      // Streams closes processors before a task's last commit, so these are classified again by
      // the task's next owner: at_least_once repeats them, it does not lose them.
      LOG.debug(
          "Task {} closes with {} classified images awaiting a commit",
          context.taskId(),
          buffer.awaitingCommit());
    }
  }
}
