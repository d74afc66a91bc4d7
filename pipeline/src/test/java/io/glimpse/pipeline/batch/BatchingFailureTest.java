package io.glimpse.pipeline.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glimpse.pipeline.dlq.DeadLetterHeaders;
import io.glimpse.pipeline.dlq.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The batching processor's failure paths (issue 10): oversized values, a record whose processing
 * always throws, a handler failing a whole batch, and an outage of a dependency.
 */
class BatchingFailureTest {
  private static final FaultPolicy POLICY =
      new FaultPolicy(1000, 3, Duration.ofMillis(100), Duration.ofMillis(400));

  private final FaultTracker faults = new FaultTracker(POLICY);
  private final List<String> outageEvents = new ArrayList<>();
  private BufferFixture fixture;
  private MockProcessorContext<byte[], byte[]> context;
  private KeyValueStore<Bytes, byte[]> store;

  /** What the handler does with the next batch; predicts everything unless replaced. */
  private BatchHandler behaviour = BatchingFailureTest::predictAll;

  private static List<BatchOutcome> predictAll(List<PendingRecord> batch, long start) {
    return batch.stream()
        .map(r -> (BatchOutcome) new BatchOutcome.Predicted(r, new byte[0]))
        .toList();
  }

  @BeforeEach
  void createStore() {
    fixture = new BufferFixture(StreamsConfig.EXACTLY_ONCE_V2);
    context = fixture.context;
    store = fixture.store;
    faults.setOutageListener(
        new FaultTracker.OutageListener() {
          @Override
          public void unavailable(String reason, Duration retryIn) {
            outageEvents.add("down " + retryIn.toMillis());
          }

          @Override
          public void recovered() {
            outageEvents.add("up");
          }
        });
  }

  /** A fresh processor on the same store and tracker, as a replacement stream thread gets. */
  private Processor<byte[], byte[], byte[], byte[]> processor(int size) {
    return fixture.processor(
        new BatchPolicy(size, Duration.ofMillis(60_000)),
        (batch, start) -> behaviour.handle(batch, start),
        faults);
  }

  private static Record<byte[], byte[]> record(long offset, byte[] value) {
    return new Record<>(("k" + offset).getBytes(StandardCharsets.UTF_8), value, 1000 + offset);
  }

  private void send(Processor<byte[], byte[], byte[], byte[]> processor, long offset, byte[] v) {
    send(processor, record(offset, v), offset);
  }

  private void send(
      Processor<byte[], byte[], byte[], byte[]> processor, Record<byte[], byte[]> r, long offset) {
    context.setRecordMetadata("images", 0, offset);
    processor.process(r);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private List<String> children() {
    return context.forwarded().stream().map(f -> f.childName().orElseThrow()).toList();
  }

  @Test
  void deadLettersAnOversizedValueBeforeBufferingItWithoutTheValue() {
    var processor = processor(10);
    byte[] big = new byte[1001];
    Record<byte[], byte[]> r = record(5, big);
    r.headers().add("trace", bytes("t-1"));

    send(processor, r, 5);
    send(processor, 6, new byte[1000]);

    assertThat(store.approximateNumEntries()).as("only the 1000-byte one is buffered").isEqualTo(1);
    assertThat(children()).containsExactly("dlq");
    Record<?, ?> dead = context.forwarded().get(0).record();
    assertThat(dead.value()).isNull();
    assertThat(dead.key()).isEqualTo(bytes("k5"));
    assertThat(DeadLetterHeaders.get(dead.headers(), DeadLetterHeaders.REASON))
        .isEqualTo(DeadLetterReason.IMAGE_TOO_LARGE.name());
    assertThat(DeadLetterHeaders.get(dead.headers(), DeadLetterHeaders.VALUE_OMITTED_BYTES))
        .isEqualTo("1001");
    assertThat(DeadLetterHeaders.get(dead.headers(), "trace")).isEqualTo("t-1");
  }

  @Test
  void deadLettersARecordWhoseProcessingAlwaysThrowsAfterTheLimitAndMovesOn() {
    char[] key = new char[70_000]; // over the 64 KB a header key may take in the buffer codec
    Arrays.fill(key, 'h');
    Record<byte[], byte[]> poison = record(7, bytes("img"));
    poison.headers().add(new String(key), bytes("v"));

    var processor = processor(10);
    send(processor, 6, bytes("before"));
    send(processor, poison, 7); // tried maxConsecutiveFailures times in place, then dead-lettered
    send(processor, 8, bytes("next"));

    assertThat(children()).containsExactly("dlq");
    Record<?, ?> dead = context.forwarded().get(0).record();
    assertThat(DeadLetterHeaders.get(dead.headers(), DeadLetterHeaders.REASON))
        .isEqualTo(DeadLetterReason.PROCESSING_FAILED.name());
    assertThat(DeadLetterHeaders.get(dead.headers(), DeadLetterHeaders.EXCEPTION)).isNotBlank();
    assertThat(DeadLetterHeaders.get(dead.headers(), DeadLetterHeaders.SOURCE_OFFSET))
        .isEqualTo("7");
    assertThat(dead.value()).isEqualTo(bytes("img"));
    assertThat(store.approximateNumEntries()).as("the partition moved on").isEqualTo(2);
  }

  @Test
  void aHandlerFailingAWholeBatchKeepsTheBufferAndStopsTheClientAfterTheLimit() {
    behaviour =
        (batch, start) -> {
          throw new IllegalStateException("model closed");
        };
    var first = processor(2);
    send(first, 0, bytes("a"));
    assertThatThrownBy(() -> send(first, 1, bytes("b")))
        .isInstanceOfSatisfying(
            BatchFailedException.class, e -> assertThat(e.exhausted()).isFalse());
    assertThat(store.approximateNumEntries()).as("the buffer survives").isEqualTo(2);
    assertThat(context.forwarded()).as("no dead letter for a batch failure").isEmpty();

    // Replacements restore the buffer and fail again; the third failure in a row stops the client.
    var second = processor(2);
    assertThatThrownBy(() -> send(second, 2, bytes("c"))).isInstanceOf(BatchFailedException.class);
    var third = processor(2);
    assertThatThrownBy(() -> send(third, 3, bytes("d")))
        .isInstanceOfSatisfying(
            BatchFailedException.class, e -> assertThat(e.exhausted()).isTrue());
    assertThat(store.approximateNumEntries()).isEqualTo(4);

    behaviour = BatchingFailureTest::predictAll; // the process restarted with a working model
    var restarted = processor(2);
    send(restarted, 4, bytes("e"));
    assertThat(children()).containsOnly("predictions").hasSize(5);
    assertThat(store.approximateNumEntries()).isZero();
  }

  @Test
  void anOutageKeepsTheBatchBufferedForwardsNothingAndRetriesWithBackoff() {
    int[] calls = {0};
    behaviour =
        (batch, start) -> {
          calls[0]++;
          throw new RetriableBatchException("registry down", null);
        };
    var processor = processor(2);
    send(processor, 0, bytes("a"));
    send(processor, 1, bytes("b"));

    assertThat(calls[0]).isEqualTo(1);
    assertThat(context.forwarded()).as("no dead letter for an outage").isEmpty();
    assertThat(store.approximateNumEntries()).isEqualTo(2);
    assertThat(faults.outage()).contains("registry down");
    assertThat(outageEvents).containsExactly("down 100");

    var punctuator = context.scheduledPunctuators().get(0).getPunctuator();
    send(processor, 2, bytes("c")); // full again, but inside the backoff: no retry
    punctuator.punctuate(1_099);
    assertThat(calls[0]).isEqualTo(1);
    punctuator.punctuate(1_100);
    assertThat(calls[0]).isEqualTo(2);
    assertThat(outageEvents).containsExactly("down 100", "down 200");

    behaviour = BatchingFailureTest::predictAll; // the registry is back
    punctuator.punctuate(1_300);

    assertThat(children()).containsOnly("predictions").hasSize(3);
    assertThat(store.approximateNumEntries()).isZero();
    assertThat(faults.outage()).isEmpty();
    assertThat(outageEvents).endsWith("up");
  }
}
