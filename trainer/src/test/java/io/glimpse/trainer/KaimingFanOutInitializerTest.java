package io.glimpse.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.glimpse.model.mobilenet.MobileNetV1;
import org.junit.jupiter.api.Test;

/** The starting weights follow torchvision's MobileNet rule, not DJL's fan-in default. */
class KaimingFanOutInitializerTest {

  @Test
  void standardDeviationCountsOutputChannelsTimesKernelArea() {
    // depthwise 3×3 over 256 channels: fan-out 256·9, whatever the groups
    assertThat(KaimingFanOutInitializer.stddev(new Shape(256, 1, 3, 3)))
        .isCloseTo((float) Math.sqrt(2.0 / 2304), within(1e-7f));
    // pointwise 64 → 128
    assertThat(KaimingFanOutInitializer.stddev(new Shape(128, 64, 1, 1)))
        .isCloseTo((float) Math.sqrt(2.0 / 128), within(1e-7f));
    assertThat(KaimingFanOutInitializer.stddev(new Shape(10, 256))).isEqualTo(0.01f);
  }

  @Test
  void rejectsShapesThatAreNeitherKernelNorLinearWeight() {
    assertThatThrownBy(() -> KaimingFanOutInitializer.stddev(new Shape(16)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(16)");
  }

  @Test
  void everyWeightOfTheNetworkIsDrawnWithItsStandardDeviation() {
    Engine.getEngine(NetworkFactory.ENGINE).setRandomSeed(3);
    Block block =
        MobileNetV1.builder()
            .setNumClasses(10)
            .optWidthMultiplier(0.5f)
            .optInputChannels(1)
            .build();
    try (Model model = Model.newInstance("init", Device.cpu(), NetworkFactory.ENGINE)) {
      model.setBlock(block);
      block.setInitializer(new KaimingFanOutInitializer(), Parameter.Type.WEIGHT);
      block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 64, 64));
      int checked = 0;
      for (Pair<String, Parameter> pair : block.getParameters()) {
        Parameter parameter = pair.getValue();
        NDArray array = parameter.getArray();
        if (parameter.getType() == Parameter.Type.GAMMA) {
          assertThat(array.toFloatArray()).as(pair.getKey()).containsOnly(1f);
        }
        if (parameter.getType() != Parameter.Type.WEIGHT || array.size() < 2000) {
          continue;
        }
        float expected = KaimingFanOutInitializer.stddev(array.getShape());
        float actual = array.sub(array.mean()).square().mean().sqrt().getFloat();
        assertThat(actual).as(pair.getKey()).isCloseTo(expected, within(expected * 0.1f));
        checked++;
      }
      // α 0.5: 7 depthwise, 12 pointwise kernels and the classifier have 2,000 weights or more
      assertThat(checked).isGreaterThanOrEqualTo(20);
    }
  }
}
