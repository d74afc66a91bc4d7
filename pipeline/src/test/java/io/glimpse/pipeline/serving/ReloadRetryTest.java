package io.glimpse.pipeline.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The retry of a deployment the store could not deliver, and how its wait is reported. */
class ReloadRetryTest {

  @Test
  void theBackoffDoublesUpToItsMaximumAndStartsOverAfterAReset() {
    try (ReloadRetry retry = new ReloadRetry(Duration.ofMinutes(1), Duration.ofMinutes(5))) {
      Runnable never = () -> {};

      assertThat(retry.schedule(never)).isEqualTo(Duration.ofMinutes(1));
      assertThat(retry.schedule(never)).isEqualTo(Duration.ofMinutes(2));
      assertThat(retry.schedule(never)).isEqualTo(Duration.ofMinutes(4));
      assertThat(retry.schedule(never)).isEqualTo(Duration.ofMinutes(5));
      assertThat(retry.schedule(never)).isEqualTo(Duration.ofMinutes(5));
      retry.reset();
      assertThat(retry.schedule(never)).isEqualTo(Duration.ofMinutes(1));
    }
    assertThatThrownBy(() -> new ReloadRetry(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onlyTheLatestScheduledAttemptRuns() {
    AtomicInteger first = new AtomicInteger();
    AtomicInteger second = new AtomicInteger();
    try (ReloadRetry retry = new ReloadRetry(Duration.ofMillis(50), Duration.ofMillis(50))) {
      retry.schedule(first::incrementAndGet);
      retry.schedule(second::incrementAndGet);

      await().atMost(Duration.ofSeconds(10)).until(() -> second.get() == 1);
      assertThat(first.get()).as("replaced before it ran").isZero();
    }
  }

  @Test
  void aWaitForTheStoreIsReportedUntilServedOrReplaced() {
    ServingState state = new ServingState("fashion", null, "the deployments topic");
    state.served("1", "aa", Instant.now(), "cpu()", "folded TorchScript");

    state.desired("2");
    state.deferred("2", "the model store is unavailable", Instant.now());
    assertThat(state.snapshot().lastRefusal().reason()).contains("unavailable");
    assertThat(state.snapshot().servedVersion()).isEqualTo("1");
    state.served("2", "bb", Instant.now(), "cpu()", "folded TorchScript");
    assertThat(state.snapshot().lastRefusal()).isNull();

    state.desired("3");
    state.deferred("3", "the model store is unavailable", Instant.now());
    state.desired("4");
    assertThat(state.snapshot().lastRefusal()).as("replaced by a newer deployment").isNull();

    state.refused("4", "checksum mismatch", Instant.now());
    state.desired("5");
    assertThat(state.snapshot().lastRefusal().version()).as("a refusal stays").isEqualTo("4");
  }
}
