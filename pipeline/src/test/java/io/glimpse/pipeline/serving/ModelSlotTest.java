package io.glimpse.pipeline.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.mobilenet.UntrainedModels;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Make-before-break with real models: a swap never closes a version a batch still holds. */
class ModelSlotTest {
  @TempDir Path tmp;

  private ServingModel load(String version, int seed) throws Exception {
    Path artifact = tmp.resolve(version);
    UntrainedModels.write(
        artifact,
        "slot",
        version,
        0.25f,
        new InputShape(1, 32, 32),
        UntrainedModels.numberedLabels(3),
        seed);
    return ServingModel.load(artifact, Optional.empty(), "cpu");
  }

  @Test
  void aBatchInFlightFinishesOnTheOldVersionWhichClosesWhenItEnds() throws Exception {
    ServingModel v1 = load("1", 1);
    ServingModel v2 = load("2", 2);
    ModelSlot slot = ModelSlot.serving(v1);
    float[] image = new float[v1.preprocessor().tensorSize()];

    ModelLease inFlight = slot.acquire();
    slot.swap(v2);

    assertThat(inFlight.model().version()).isEqualTo("1");
    assertThat(inFlight.model().classifier().classify(image, 1)[0])
        .as("the old version still classifies")
        .hasSize(3);
    try (ModelLease next = slot.acquire()) {
      assertThat(next.model().version()).isEqualTo("2");
    }
    inFlight.close();
    inFlight.close(); // a second close releases nothing more
    assertThatThrownBy(() -> v1.classifier().classify(image, 1))
        .as("closed once the last batch on it ended")
        .isInstanceOf(IllegalStateException.class);
    try (ModelLease next = slot.acquire()) {
      assertThat(next.model().classifier().classify(image, 1)[0]).hasSize(3);
    }
    slot.close();
    assertThatThrownBy(() -> v2.classifier().classify(image, 1))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anEmptySlotSaysSo() {
    ModelSlot slot = new ModelSlot();
    assertThat(slot.peek()).isEmpty();
    assertThatThrownBy(slot::acquire).hasMessageContaining("No model");
  }
}
