package io.glimpse.pipeline.batch;

import io.glimpse.pipeline.metrics.PipelineMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * A batching processor's surroundings in unit tests: MockProcessorContext under one processing
 * guarantee, and the buffer store with its commit hook as the supplier declares it (without the
 * changelog, which needs a broker).
 */
final class BufferFixture {
  final MockProcessorContext<byte[], byte[]> context;
  final KeyValueStore<Bytes, byte[]> store;

  /** What the (absent) consumer knows is waiting; empty: "maybe more", so only size and linger. */
  final InputBacklog backlog = new InputBacklog();

  private final TaskCommits commits = new TaskCommits();

  BufferFixture(String guarantee) {
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "buffer-test");
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    context = new MockProcessorContext<>(config);
    context.setCurrentSystemTimeMs(1_000);
    store =
        Stores.keyValueStoreBuilder(
                CommitReportingStore.supplier(
                    Stores.inMemoryKeyValueStore(BatchingProcessorSupplier.STORE_NAME), commits),
                Serdes.Bytes(),
                Serdes.ByteArray())
            .withLoggingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
  }

  /** A processor on this fixture's store, initialised; a replacement thread's gets the same. */
  Processor<byte[], byte[], byte[], byte[]> processor(
      BatchPolicy policy, BatchHandler handler, FaultTracker faults) {
    Processor<byte[], byte[], byte[], byte[]> processor =
        new BatchingProcessor(
            BatchingProcessorSupplier.STORE_NAME,
            policy,
            handler,
            new PipelineMetrics(new SimpleMeterRegistry()),
            faults,
            commits,
            backlog,
            new CommitPacers(),
            "predictions",
            "dlq");
    processor.init(context);
    return processor;
  }

  /**
   * What Streams does once a commit of the task completed (producer flushed, offsets committed): it
   * commits the task's stores.
   */
  void commitCompleted() {
    store.commit(Map.of());
  }
}
