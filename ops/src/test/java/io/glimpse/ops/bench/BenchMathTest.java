package io.glimpse.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bench's arithmetic and its JSON, without Kafka or a model. */
class BenchMathTest {

  @Test
  void steadyRateSkipsTheWarmUpBatchAndCountsTheRest() {
    // Ten batches of 10 images, one batch every 100 ms: 100 images/s.
    List<PredictionCollector.Observed> observed = new ArrayList<>();
    for (int batch = 0; batch < 10; batch++) {
      for (int i = 0; i < 10; i++) {
        observed.add(new PredictionCollector.Observed(0, 1_000 + batch * 100L, 0, 10, 0, 0));
      }
    }

    assertThat(PipelineThroughput.steadyRate(observed, 0.1)).isCloseTo(100.0, within(1e-9));
  }

  @Test
  void percentileIsNearestRank() {
    double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

    assertThat(LatencyProbe.percentile(sorted, 0.50)).isEqualTo(5);
    assertThat(LatencyProbe.percentile(sorted, 0.99)).isEqualTo(10);
    assertThat(LatencyProbe.percentile(new double[0], 0.5)).isZero();
  }

  @Test
  void jsonWritesOneLineWithRoundedNumbersAndEscapes() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("rate", 1234.56789);
    fields.put("nan", Double.NaN);
    fields.put("infinite", Double.POSITIVE_INFINITY);
    fields.put("whole", 100.0);
    fields.put("text", "a \"b\"\n");
    fields.put("list", List.of(1, true));
    fields.put("nested", Map.of("k", 2.5f));

    assertThat(Json.write(fields))
        .isEqualTo(
            "{\"rate\":1234.5679,\"nan\":null,\"infinite\":null,\"whole\":100,\"text\":\"a \\\"b\\\"\\n\",\"list\":[1,true],"
                + "\"nested\":{\"k\":2.5}}");
  }

  @Test
  void threadGroupsDropNumbersAndUseLabels() {
    assertThat(ThreadCpu.group("12/data-plane-kafk", Map.of())).isEqualTo("data-plane-kafk");
    assertThat(ThreadCpu.group("13/GC Thread#1", Map.of())).isEqualTo("GC Thread");
    assertThat(ThreadCpu.group("14/bench-batched-3", Map.of("bench-batched", "stream")))
        .isEqualTo("stream");
  }
}
