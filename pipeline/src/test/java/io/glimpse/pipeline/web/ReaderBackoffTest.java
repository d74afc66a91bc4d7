package io.glimpse.pipeline.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The live page reader's backoff: doubling to its cap, one outage start, reset on success. */
class ReaderBackoffTest {
  @Test
  void doublesUpToItsCapAndStartsOverAfterASuccess() {
    ReaderBackoff backoff = new ReaderBackoff(ReaderBackoff.FIRST, ReaderBackoff.MAX);
    List<Long> waits = new ArrayList<>();
    List<Boolean> began = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      waits.add(backoff.failed().toMillis());
      began.add(backoff.outageBegan());
    }
    assertThat(waits)
        .containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L);
    assertThat(began).containsExactly(true, false, false, false, false, false, false, false, false);
    assertThat(backoff.succeeded()).isEqualTo(9);
    assertThat(backoff.succeeded()).isZero();
    assertThat(backoff.failed()).isEqualTo(Duration.ofMillis(500));
    assertThat(backoff.outageBegan()).isTrue();
  }

  @Test
  void refusesABackoffThatCannotWork() {
    assertThatThrownBy(() -> new ReaderBackoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 < first <= max");
    assertThatThrownBy(() -> new ReaderBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
