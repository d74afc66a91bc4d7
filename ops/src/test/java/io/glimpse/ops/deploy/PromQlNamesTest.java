package io.glimpse.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The dashboard check reads metric names out of PromQL: functions, labels and ranges are not. */
class PromQlNamesTest {

  @Test
  void findsTheMetricInsideFunctionsMatchersAndRanges() {
    assertThat(
            PromQlNames.of(
                "histogram_quantile(0.99, sum by (le) (rate(a_bucket{reason=\"x y\"}"
                    + "[$__rate_interval])))"))
        .containsExactly("a_bucket");
  }

  @Test
  void findsBothSidesOfAJoinButNotItsLabels() {
    assertThat(PromQlNames.of("b_info * on (instance) group_left (instance_id) c_info"))
        .containsExactly("b_info", "c_info");
  }

  @Test
  void skipsNumbersAndComparisons() {
    assertThat(PromQlNames.of("sum(rate(d_sum[1m])) / sum(rate(d_count[1m])) > 0 or vector(1e3)"))
        .containsExactly("d_count", "d_sum");
  }
}
