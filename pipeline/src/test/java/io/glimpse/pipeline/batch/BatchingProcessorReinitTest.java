package io.glimpse.pipeline.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.pipeline.metrics.PipelineMetrics;
import io.glimpse.schemas.avro.Prediction;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * Kafka Streams calls {@code init} again on the same processor instance when a task resumes after a
 * suspension or is revived after corruption (the task keeps its topology). The store then holds the
 * pending records again, restored or kept; the processor must count them once, not on top of what
 * it counted before.
 */
class BatchingProcessorReinitTest {
  private final List<List<PendingRecord>> batches = new ArrayList<>();
  private final MockProcessorContext<byte[], Object> context = new MockProcessorContext<>();

  @Test
  void aSecondInitCountsThePendingRecordsOnce() {
    KeyValueStore<Bytes, byte[]> store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(BatchingProcessorSupplier.STORE_NAME),
                Serdes.Bytes(),
                Serdes.ByteArray())
            .withLoggingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
    context.setCurrentSystemTimeMs(1_000);
    Processor<byte[], byte[], byte[], Object> processor =
        new BatchingProcessorSupplier(
                new BatchPolicy(5, Duration.ofMinutes(1)),
                (batch, start) -> {
                  batches.add(batch);
                  return batch.stream()
                      .map(r -> (BatchOutcome) new BatchOutcome.Predicted(r, new Prediction()))
                      .toList();
                },
                new PipelineMetrics(new SimpleMeterRegistry()),
                "predictions",
                "dlq")
            .get();
    processor.init(context);
    for (long offset = 0; offset < 3; offset++) {
      send(processor, offset);
    }

    processor.close(); // the task is suspended (or closed dirty and revived) ...
    processor.init(context); // ... and initialized again over the same three pending records

    send(processor, 3);
    assertThat(batches).as("4 pending records are not a full batch of 5").isEmpty();
    send(processor, 4);
    assertThat(batches).hasSize(1);
    assertThat(batches.get(0))
        .extracting(PendingRecord::offset)
        .containsExactly(0L, 1L, 2L, 3L, 4L);
  }

  private void send(Processor<byte[], byte[], byte[], Object> processor, long offset) {
    context.setRecordMetadata("images", 0, offset);
    processor.process(
        new Record<>(
            ("k" + offset).getBytes(StandardCharsets.UTF_8),
            "v".getBytes(StandardCharsets.UTF_8),
            offset));
  }
}
