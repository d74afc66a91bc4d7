package io.glimpse.ops.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.schemas.avro.ClassScore;
import io.glimpse.schemas.avro.Prediction;
import io.glimpse.schemas.avro.Timings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoSummaryTest {
  private final DemoSummary summary = new DemoSummary(Path.of("/tmp/demo"));

  @Test
  void summarisesTheWholeRun() {
    for (int i = 1; i <= 100; i++) {
      summary.addPrediction(prediction("v1", i, i % 4 == 0 ? "Bag" : "Coat"));
    }
    summary.addPrediction(prediction("v2", 5000, "Coat"));
    summary.addDeadLetter("NULL_VALUE");
    summary.addDeadLetter("DESERIALIZATION_FAILED");
    summary.addDeadLetter("NULL_VALUE");

    assertThat(summary.render(104, 3, Duration.ofMillis(60_400)))
        .isEqualTo(
            String.format(
                "Demo summary (60 s):%n"
                    + "  published     104 records: 101 images, 3 broken on purpose%n"
                    + "  predictions   101, accuracy 75.2%% of 101 labelled%n"
                    + "  dead letters  3: DESERIALIZATION_FAILED 1, NULL_VALUE 2%n"
                    + "  latency       end to end p50 51 ms, p99 101 ms%n"
                    + "  model served  demo v1 (100 predictions, 75.0%%), demo v2 (1 prediction,"
                    + " 100.0%%)%n"
                    + "  data kept in  /tmp/demo (Kafka in /tmp/demo/kafka, models in"
                    + " /tmp/demo/models)%n"));
  }

  @Test
  void saysWhenNothingCameOut() {
    assertThat(summary.render(0, 0, Duration.ofSeconds(2)))
        .contains("predictions   0, accuracy n/a of 0 labelled")
        .contains("dead letters  0%n".formatted())
        .contains("latency       end to end p50 n/a, p99 n/a")
        .contains("model served  none");
  }

  @Test
  void unlabelledPredictionsCountButDoNotScore() {
    summary.addPrediction(prediction("v1", 10, null));

    assertThat(summary.predictions()).isEqualTo(1);
    assertThat(summary.labelled()).isZero();
    assertThat(summary.accuracy()).isEqualTo("  n/a");
  }

  @Test
  void aDeadLetterWithoutReasonCountsAsUnknown() {
    summary.addDeadLetter(null);

    assertThat(summary.deadLetters()).isEqualTo(1);
    assertThat(summary.render(1, 1, Duration.ZERO)).contains("dead letters  1: unknown 1");
  }

  /** A prediction of "Coat" by {@code demo <version>}, {@code endToEndMs} after its event. */
  private static Prediction prediction(String version, long endToEndMs, String label) {
    Instant t0 = Instant.parse("2024-05-01T12:00:00Z");
    return Prediction.newBuilder()
        .setImageId("img")
        .setSource("test")
        .setModelName("demo")
        .setModelVersion(version)
        .setTopK(List.of(new ClassScore("Coat", 4, 0.8f), new ClassScore("Bag", 8, 0.1f)))
        .setTimings(new Timings(1L, 2L, endToEndMs))
        .setBatchSize(1)
        .setEventTime(t0)
        .setProcessedTime(t0.plusMillis(endToEndMs))
        .setLabel(label)
        .build();
  }
}
