package io.glimpse.pipeline.batch;

import io.glimpse.pipeline.metrics.PipelineMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Creates a {@link BatchingProcessor} per task and declares its batch buffer: an in-memory
 * key-value store with a changelog topic (Kafka Streams' default), so the buffer is restored after
 * a crash or a rebalance, and whose commit hook tells the processors when a commit completed.
 */
public final class BatchingProcessorSupplier
    implements ProcessorSupplier<byte[], byte[], byte[], byte[]> {
  /** The batch buffer's store name; its changelog is {@code <application.id>-<name>-changelog}. */
  public static final String STORE_NAME = "glimpse-pending-images";

  /**
   * The buffer's keys (partition, offset) are never reused, so its changelog is all puts and
   * tombstones. An in-memory store restores the whole changelog at every start: small segments and
   * a short tombstone retention let compaction keep that restore to roughly what is pending.
   */
  static final Map<String, String> CHANGELOG_CONFIG =
      Map.of(
          TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(16 * 1024 * 1024),
          TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofMinutes(10).toMillis()),
          TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(Duration.ofMinutes(10).toMillis()),
          TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1");

  private final BatchPolicy policy;
  private final BatchHandler handler;
  private final PipelineMetrics metrics;
  private final FaultTracker faults;
  private final TaskCommits commits = new TaskCommits();
  private final InputBacklog backlog;
  private final CommitPacers pacers = new CommitPacers();
  private final String predictionsChild;
  private final String deadLettersChild;

  /**
   * A supplier whose processors forward to the two named children and share {@code faults} (it
   * outlives stream threads, so failure counts survive a thread's replacement) and {@code backlog}
   * (what the consumers know is waiting, for flushing when idle).
   */
  public BatchingProcessorSupplier(
      BatchPolicy policy,
      BatchHandler handler,
      PipelineMetrics metrics,
      FaultTracker faults,
      InputBacklog backlog,
      String predictionsChild,
      String deadLettersChild) {
    this.backlog = backlog;
    this.policy = policy;
    this.handler = handler;
    this.metrics = metrics;
    this.faults = faults;
    this.predictionsChild = predictionsChild;
    this.deadLettersChild = deadLettersChild;
  }

  @Override
  public Processor<byte[], byte[], byte[], byte[]> get() {
    return new BatchingProcessor(
        STORE_NAME,
        policy,
        handler,
        metrics,
        faults,
        commits,
        backlog,
        pacers,
        predictionsChild,
        deadLettersChild);
  }

  @Override
  public Set<StoreBuilder<?>> stores() {
    return Set.of(bufferStore());
  }

  /**
   * The buffer's store: in memory, changelogged, and reporting each completed commit of its task to
   * the processors (at_least_once deletes classified entries only after one).
   */
  StoreBuilder<KeyValueStore<Bytes, byte[]>> bufferStore() {
    return Stores.keyValueStoreBuilder(
            CommitReportingStore.supplier(Stores.inMemoryKeyValueStore(STORE_NAME), commits),
            Serdes.Bytes(),
            Serdes.ByteArray())
        .withLoggingEnabled(CHANGELOG_CONFIG);
  }
}
