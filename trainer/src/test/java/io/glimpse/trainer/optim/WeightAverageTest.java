package io.glimpse.trainer.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The average follows the weights with the ramped decay, swaps exactly and saves what it holds. */
class WeightAverageTest {

  @TempDir Path dir;

  @Test
  void movesTowardsTheWeightsWithTheRampedDecay() {
    try (Model model = linearModel()) {
      NDArray weight = weight(model);
      float[] start = weight.toFloatArray();
      try (WeightAverage average = new WeightAverage(model.getBlock(), 0.5f, 0, manager(model))) {
        // Update 1 ramps to min(0.5, 2/11) = 0.1818...; update 2 to min(0.5, 3/12) = 0.25.
        assertThat(average.nextDecay()).isEqualTo(2f / 11f);
        weight.addi(1f);
        average.update();
        assertThat(average.nextDecay()).isEqualTo(0.25f);
        weight.addi(1f);
        average.update();
        float[] trained = weight(model).toFloatArray();

        average.swap();
        float[] averaged = weight(model).toFloatArray();
        float after1 = start[0] + (1 - 2f / 11f);
        assertThat(averaged[0]).isCloseTo(0.25f * after1 + 0.75f * (start[0] + 2), within(1e-5f));
        average.swap();
        assertThat(weight(model).toFloatArray()).isEqualTo(trained);
      }
    }
  }

  @Test
  void theRampStopsAtTheDecayAndResumesFromTheStepsDone() {
    try (Model model = linearModel();
        WeightAverage average =
            new WeightAverage(model.getBlock(), 0.999f, 10_000, manager(model))) {
      assertThat(average.nextDecay()).isEqualTo(0.999f);
    }
    try (Model model = linearModel();
        WeightAverage average = new WeightAverage(model.getBlock(), 0.999f, 90, manager(model))) {
      assertThat(average.nextDecay()).isEqualTo(92f / 101f);
    }
  }

  @Test
  void swappingTwiceRestoresTheWeightsBitForBit() {
    try (Model model = linearModel();
        WeightAverage average = new WeightAverage(model.getBlock(), 0.9f, 0, manager(model))) {
      float[] before = weight(model).toFloatArray();
      weight(model).muli(3f).addi(0.1f);
      average.update();
      float[] trained = weight(model).toFloatArray();

      average.swap();
      assertThat(weight(model).toFloatArray()).isNotEqualTo(trained).isNotEqualTo(before);
      average.swap();

      assertThat(weight(model).toFloatArray()).isEqualTo(trained);
    }
  }

  @Test
  void savesTheAveragedWeightsAndKeepsTheModelsOwn() throws Exception {
    try (Model model = linearModel();
        WeightAverage average = new WeightAverage(model.getBlock(), 0.9f, 0, manager(model))) {
      weight(model).addi(2f);
      average.update();
      float[] own = weight(model).toFloatArray();
      average.swap();
      float[] averaged = weight(model).toFloatArray();
      average.swap();

      average.saveAveraged(model, dir, "average");

      assertThat(weight(model).toFloatArray()).isEqualTo(own);
      try (Model loaded = linearModel()) {
        loaded.load(dir, "average", Map.of("epoch", "0"));
        assertThat(weight(loaded).toFloatArray()).isEqualTo(averaged);
      }
    }
  }

  @Test
  void restoresSavedAveragesAndRefusesForeignOnes() {
    try (Model model = linearModel();
        WeightAverage first = new WeightAverage(model.getBlock(), 0.9f, 0, manager(model));
        WeightAverage second = new WeightAverage(model.getBlock(), 0.9f, 1, manager(model))) {
      weight(model).addi(5f);
      first.update();
      NDList saved = first.state();

      second.load(saved);
      second.swap();
      float[] restored = weight(model).toFloatArray();
      second.swap();
      first.swap();
      assertThat(restored).isEqualTo(weight(model).toFloatArray());
      first.swap();

      NDArray foreign = saved.get(0).duplicate();
      foreign.setName("nothing_weight");
      NDList wrong = new NDList(foreign, saved.get(1));
      assertThatThrownBy(() -> second.load(wrong))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("nothing_weight");
    }
  }

  private static Model linearModel() {
    Model model = Model.newInstance("linear", "PyTorch");
    Block block = Linear.builder().setUnits(3).build();
    model.setBlock(block);
    block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 4));
    return model;
  }

  private static NDManager manager(Model model) {
    return model.getNDManager();
  }

  private static NDArray weight(Model model) {
    return model.getBlock().getParameters().get("weight").getArray();
  }
}
