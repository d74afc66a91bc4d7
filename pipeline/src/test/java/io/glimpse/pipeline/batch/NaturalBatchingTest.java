package io.glimpse.pipeline.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Natural batching and the commit request, on the processor alone: the {@link InputBacklog} stands
 * for what the consumer's last poll said (the last offset it returned, the lag behind it).
 */
class NaturalBatchingTest {
  private static final TopicPartition PARTITION = new TopicPartition("images", 0);
  private static final long LONG_LINGER_MS = 60_000;

  private final List<List<PendingRecord>> batches = new ArrayList<>();
  private final BatchHandler handler =
      (batch, start) -> {
        batches.add(batch);
        return batch.stream()
            .map(r -> (BatchOutcome) new BatchOutcome.Predicted(r, new byte[0]))
            .toList();
      };
  private BufferFixture fixture;
  private MockProcessorContext<byte[], byte[]> context;

  @BeforeEach
  void create() {
    fixture = new BufferFixture(StreamsConfig.EXACTLY_ONCE_V2);
    context = fixture.context;
  }

  private Processor<byte[], byte[], byte[], byte[]> processor(BatchPolicy policy) {
    return fixture.processor(policy, handler, new FaultTracker(FaultPolicy.DEFAULT));
  }

  private void send(Processor<byte[], byte[], byte[], byte[]> processor, long offset) {
    context.setRecordMetadata(PARTITION.topic(), PARTITION.partition(), offset);
    processor.process(
        new Record<>(
            ("k" + offset).getBytes(StandardCharsets.UTF_8),
            "v".getBytes(StandardCharsets.UTF_8),
            offset));
  }

  @Test
  void aLoneImageIsClassifiedAndCommittedWithoutWaitingForTheLingerOrTheCommitClock() {
    var processor = processor(new BatchPolicy(32, Duration.ofMillis(LONG_LINGER_MS)));
    fixture.backlog.polled(PARTITION, 0, 0);

    send(processor, 0);

    assertThat(batches).as("classified at once").hasSize(1);
    assertThat(batches.get(0)).hasSize(1);
    assertThat(context.forwarded()).hasSize(1);
    assertThat(context.committed()).as("a commit was requested").isTrue();
  }

  @Test
  void aBacklogStillFormsFullBatchesAndOnlyTheEndOfItIsFlushedEarly() {
    var processor = processor(new BatchPolicy(32, Duration.ofMillis(LONG_LINGER_MS)));
    // The poll returned offsets 0..99 and the broker holds 400 more behind them.
    fixture.backlog.polled(PARTITION, 99, 400);
    for (long offset = 0; offset < 100; offset++) {
      send(processor, offset);
    }
    assertThat(batches).extracting(List::size).containsExactly(32, 32, 32);
    assertThat(context.committed()).as("more is waiting: the commit clock governs").isFalse();

    // The next poll reaches the end: its last record closes the batch, whatever its size.
    fixture.backlog.polled(PARTITION, 110, 0);
    for (long offset = 100; offset <= 110; offset++) {
      send(processor, offset);
    }
    assertThat(batches).extracting(List::size).containsExactly(32, 32, 32, 15);
    assertThat(context.committed()).isTrue();
  }

  @Test
  void withoutWordFromTheConsumerABatchWaitsForItsSizeOrLinger() {
    var processor = processor(new BatchPolicy(32, Duration.ofMillis(LONG_LINGER_MS)));

    send(processor, 0);

    assertThat(batches).isEmpty();
    assertThat(context.committed()).isFalse();
  }

  @Test
  void bothBehavioursCanBeTurnedOff() {
    var lingerOnly =
        processor(new BatchPolicy(32, Duration.ofMillis(LONG_LINGER_MS), false, false));
    fixture.backlog.polled(PARTITION, 0, 0);
    send(lingerOnly, 0);
    assertThat(batches).isEmpty();

    create();
    var noCommit = processor(new BatchPolicy(32, Duration.ofMillis(LONG_LINGER_MS), true, false));
    fixture.backlog.polled(PARTITION, 0, 0);
    send(noCommit, 0);
    assertThat(batches).hasSize(1);
    assertThat(context.committed()).isFalse();
  }
}
