package io.glimpse.pipeline.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.pipeline.dlq.DeadLetter;
import io.glimpse.pipeline.dlq.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The batching processor alone, with MockProcessorContext and a recording batch handler. */
class BatchingProcessorTest {
  private final List<List<PendingRecord>> batches = new ArrayList<>();
  private BufferFixture fixture;
  private MockProcessorContext<byte[], byte[]> context;
  private KeyValueStore<Bytes, byte[]> store;

  /** Predicts every record except those whose value is "bad". */
  private final BatchHandler handler =
      (batch, start) -> {
        batches.add(batch);
        if (batch.stream()
            .anyMatch(r -> "slow".equals(new String(r.value(), StandardCharsets.UTF_8)))) {
          long until = System.nanoTime() + 60_000_000L; // stands for 60 ms of inference
          while (System.nanoTime() < until) {
            Thread.onSpinWait();
          }
        }
        return batch.stream()
            .map(
                r ->
                    "bad".equals(new String(r.value(), StandardCharsets.UTF_8))
                        ? (BatchOutcome)
                            new BatchOutcome.Rejected(
                                r, new DeadLetter(DeadLetterReason.UNDECODABLE_IMAGE, "X", "bad"))
                        : new BatchOutcome.Predicted(r, new byte[0]))
            .toList();
      };

  @BeforeEach
  void createStore() {
    fixture = new BufferFixture(StreamsConfig.EXACTLY_ONCE_V2);
    context = fixture.context;
    store = fixture.store;
  }

  private Processor<byte[], byte[], byte[], byte[]> processor(int size, long lingerMs) {
    return fixture.processor(
        new BatchPolicy(size, Duration.ofMillis(lingerMs)),
        handler,
        new FaultTracker(FaultPolicy.DEFAULT));
  }

  private void send(
      Processor<byte[], byte[], byte[], byte[]> processor, long offset, String value) {
    context.setRecordMetadata("images", 3, offset);
    processor.process(
        new Record<>(
            ("k" + offset).getBytes(StandardCharsets.UTF_8),
            value.getBytes(StandardCharsets.UTF_8),
            1000 + offset));
  }

  @Test
  void flushesWhenTheBatchIsFullAndRoutesEachOutcome() {
    var processor = processor(3, 60_000);
    send(processor, 10, "a");
    send(processor, 11, "bad");
    assertThat(batches).isEmpty();
    assertThat(store.approximateNumEntries()).isEqualTo(2);

    send(processor, 12, "c");

    assertThat(batches).hasSize(1);
    assertThat(batches.get(0)).extracting(PendingRecord::offset).containsExactly(10L, 11L, 12L);
    assertThat(batches.get(0)).allSatisfy(r -> assertThat(r.partition()).isEqualTo(3));
    var forwarded = context.forwarded();
    assertThat(forwarded)
        .extracting(f -> f.childName().orElseThrow())
        .containsExactly("predictions", "dlq", "predictions");
    assertThat(forwarded.get(0).record().timestamp()).isEqualTo(1010L);
    assertThat(store.approximateNumEntries()).isZero();
  }

  @Test
  void flushesAPartialBatchOnlyAfterItsLinger() {
    var processor = processor(100, 50);
    context.setCurrentSystemTimeMs(10_000);
    send(processor, 0, "a");
    var punctuator = context.scheduledPunctuators().get(0);
    assertThat(punctuator.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);

    punctuator.getPunctuator().punctuate(10_049);
    assertThat(batches).as("49 ms < 50 ms linger").isEmpty();
    punctuator.getPunctuator().punctuate(10_050);

    assertThat(batches).hasSize(1);
    assertThat(context.forwarded()).hasSize(1);
  }

  @Test
  void recordsAfterASlowFlushInTheSameLoopAreNotMistakenForOldOnes() {
    var processor = processor(2, 50);
    context.setCurrentSystemTimeMs(10_000); // Streams' cached time: it stays put for the loop
    send(processor, 0, "slow"); // the handler below takes 60 ms for this batch
    send(processor, 1, "b");
    send(processor, 2, "c"); // arrives after that flush, still stamped with the cached time

    context.scheduledPunctuators().get(0).getPunctuator().punctuate(10_055);

    assertThat(batches).as("only the full batch; c has waited 0 ms, not 55").hasSize(1);
  }

  @Test
  void aReplayedRecordOverwritesItsEntryInsteadOfDuplicating() {
    var processor = processor(3, 60_000);
    send(processor, 7, "a");
    send(processor, 7, "a"); // the same partition+offset again, as after a crash

    assertThat(store.approximateNumEntries()).isEqualTo(1);
    send(processor, 8, "b");
    assertThat(batches).isEmpty();
    send(processor, 9, "c");
    assertThat(batches.get(0)).extracting(PendingRecord::offset).containsExactly(7L, 8L, 9L);
  }

  @Test
  void recordsRestoredFromTheChangelogAreCountedAndFlushed() {
    for (long offset = 0; offset < 2; offset++) {
      PendingRecord restored =
          new PendingRecord(
              "images",
              3,
              offset,
              5,
              0,
              null,
              "r".getBytes(StandardCharsets.UTF_8),
              new org.apache.kafka.common.header.internals.RecordHeaders());
      store.put(restored.pendingKey().toBytes(), PendingRecordCodec.encode(restored));
    }
    var processor = processor(3, 60_000);

    send(processor, 2, "new");

    assertThat(batches).hasSize(1);
    assertThat(batches.get(0)).extracting(PendingRecord::offset).containsExactly(0L, 1L, 2L);
  }

  /**
   * Kafka Streams calls {@code init} again on the same processor instance when a task resumes after
   * a suspension or is revived after corruption (the task keeps its topology). The store then holds
   * the pending records again, restored or kept; the processor must count them once, not on top of
   * what it counted before.
   */
  @Test
  void aSecondInitCountsThePendingRecordsOnce() {
    var processor = processor(5, 60_000);
    for (long offset = 0; offset < 3; offset++) {
      send(processor, offset, "v");
    }

    processor.close(); // the task is suspended (or closed dirty and revived) ...
    processor.init(context); // ... and initialized again over the same three pending records

    send(processor, 3, "v");
    assertThat(batches).as("4 pending records are not a full batch of 5").isEmpty();
    send(processor, 4, "v");
    assertThat(batches).hasSize(1);
    assertThat(batches.get(0))
        .extracting(PendingRecord::offset)
        .containsExactly(0L, 1L, 2L, 3L, 4L);
  }

  @Test
  void codecRoundTripsEveryField() {
    var headers = new org.apache.kafka.common.header.internals.RecordHeaders();
    headers.add("trace", new byte[] {1, 2});
    headers.add("empty", null);
    headers.add("trace", new byte[] {3});
    PendingRecord record =
        new PendingRecord(
            "images-ü",
            7,
            1L << 40,
            1_700_000_000_123L,
            1_700_000_000_456L,
            new byte[] {5, 6},
            new byte[] {9},
            headers);

    PendingRecord decoded = PendingRecordCodec.decode(PendingRecordCodec.encode(record));

    assertThat(decoded.topic()).isEqualTo("images-ü");
    assertThat(decoded.partition()).isEqualTo(7);
    assertThat(decoded.offset()).isEqualTo(1L << 40);
    assertThat(decoded.timestamp()).isEqualTo(1_700_000_000_123L);
    assertThat(decoded.arrivalMillis()).isEqualTo(1_700_000_000_456L);
    assertThat(decoded.key()).containsExactly(5, 6);
    assertThat(decoded.value()).containsExactly(9);
    assertThat(decoded.headers().toArray())
        .extracting(
            h -> h.key(), h -> h.value() == null ? null : java.util.Arrays.toString(h.value()))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("trace", "[1, 2]"),
            org.assertj.core.groups.Tuple.tuple("empty", null),
            org.assertj.core.groups.Tuple.tuple("trace", "[3]"));

    PendingRecord tombstone =
        new PendingRecord(
            "t",
            0,
            0,
            -1,
            0,
            null,
            null,
            new org.apache.kafka.common.header.internals.RecordHeaders());
    PendingRecord decodedTombstone =
        PendingRecordCodec.decode(PendingRecordCodec.encode(tombstone));
    assertThat(decodedTombstone.key()).isNull();
    assertThat(decodedTombstone.value()).isNull();
    assertThat(decodedTombstone.timestamp()).isEqualTo(-1);
    assertThat(decodedTombstone.headers().toArray()).isEmpty();
  }
}
