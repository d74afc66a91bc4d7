package io.glimpse.pipeline.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/**
 * Under at_least_once a buffer entry's tombstone and its prediction are independent sends: a
 * tombstone written before the prediction is durable could land without it, and the image would be
 * lost. Entries are therefore deleted only after a commit that covers their outcomes.
 */
class AtLeastOnceBufferTest {
  private static final BatchPolicy POLICY = new BatchPolicy(2, Duration.ofMillis(50));

  private final BufferFixture fixture = new BufferFixture(StreamsConfig.AT_LEAST_ONCE);
  private final List<Long> classifiedOffsets = new ArrayList<>();
  private final BatchHandler handler =
      (batch, start) -> {
        batch.forEach(r -> classifiedOffsets.add(r.offset()));
        return batch.stream()
            .map(r -> (BatchOutcome) new BatchOutcome.Predicted(r, new byte[0]))
            .toList();
      };

  private Processor<byte[], byte[], byte[], byte[]> processor() {
    return fixture.processor(POLICY, handler, new FaultTracker(FaultPolicy.DEFAULT));
  }

  private void send(Processor<byte[], byte[], byte[], byte[]> processor, long offset) {
    fixture.context.setRecordMetadata("images", 0, offset);
    processor.process(
        new Record<>(
            ("k" + offset).getBytes(StandardCharsets.UTF_8),
            "v".getBytes(StandardCharsets.UTF_8),
            offset));
  }

  /** Runs the linger punctuator of the processor initialised last. */
  private void punctuate(long now) {
    var punctuators = fixture.context.scheduledPunctuators();
    punctuators.get(punctuators.size() - 1).getPunctuator().punctuate(now);
  }

  private long entries() {
    return fixture.store.approximateNumEntries();
  }

  @Test
  void aClassifiedEntryStaysUntilACommitCoversItsPrediction() {
    var processor = processor();
    send(processor, 10);
    send(processor, 11); // a full batch: classified and forwarded

    assertThat(fixture.context.forwarded()).hasSize(2);
    assertThat(entries()).as("no tombstone before the predictions are durable").isEqualTo(2);

    punctuate(5_000); // long past the linger: nothing is waiting, nothing classified again
    assertThat(classifiedOffsets).containsExactly(10L, 11L);
    assertThat(entries()).isEqualTo(2);

    fixture.commitCompleted();
    send(processor, 12);

    assertThat(entries()).as("10 and 11 deleted after the commit; 12 waits").isEqualTo(1);
    assertThat(classifiedOffsets).containsExactly(10L, 11L);
  }

  @Test
  void onlyEntriesForwardedBeforeTheCommitAreDeleted() {
    var processor = processor();
    send(processor, 1);
    send(processor, 2);
    fixture.commitCompleted();
    send(processor, 3);
    send(processor, 4); // classified after that commit

    punctuate(1_000);

    assertThat(entries()).as("3 and 4 wait for the next commit").isEqualTo(2);
    fixture.commitCompleted();
    punctuate(1_100);
    assertThat(entries()).isZero();
    assertThat(classifiedOffsets).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void aRestartClassifiesAgainWhatNoCommitCovered() {
    var crashed = processor();
    send(crashed, 1);
    send(crashed, 2);
    fixture.commitCompleted();
    send(crashed, 3);
    send(crashed, 4); // forwarded, but the process dies before the next commit

    // Its replacement finds the store as the changelog restores it: 3 and 4 are still there.
    var replacement = processor();
    punctuate(60_000);

    assertThat(classifiedOffsets)
        .as("1 and 2 are durable and deleted; 3 and 4 are classified again, not lost")
        .containsExactly(1L, 2L, 3L, 4L, 3L, 4L);
    fixture.commitCompleted();
    send(replacement, 5);
    assertThat(entries()).as("only 5 waits").isEqualTo(1);
  }

  @Test
  void exactlyOnceDeletesWithTheOutcomesInOneTransaction() {
    BufferFixture exactlyOnce = new BufferFixture(StreamsConfig.EXACTLY_ONCE_V2);
    var processor = exactlyOnce.processor(POLICY, handler, new FaultTracker(FaultPolicy.DEFAULT));
    exactlyOnce.context.setRecordMetadata("images", 0, 1);
    processor.process(new Record<>(new byte[] {1}, new byte[] {1}, 1));
    exactlyOnce.context.setRecordMetadata("images", 0, 2);
    processor.process(new Record<>(new byte[] {2}, new byte[] {2}, 2));

    assertThat(exactlyOnce.context.forwarded()).hasSize(2);
    assertThat(exactlyOnce.store.approximateNumEntries()).isZero();
  }
}
