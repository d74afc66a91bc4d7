package io.glimpse.model.mobilenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MobileNetV1Test {

  /**
   * Trainable parameters at α = 1, 1000 classes, RGB: convolutions 3,185,088 (stem 3·3·3·32 = 864;
   * each separable block 9·c_in depthwise + c_in·c_out pointwise, no biases), batch-norm gamma and
   * beta 21,888 (2 per channel over 10,944 normalized channels), classifier 1024·1000 + 1000 =
   * 1,025,000. Total 4,231,976, the paper's "4.2 million".
   */
  private static final long TRAINABLE_ALPHA_1 = 4_231_976;

  /** Batch-norm running mean and variance: 2 per normalized channel, not trained. */
  private static final long RUNNING_STATS_ALPHA_1 = 21_888;

  /**
   * α = 0.5 halves every width (16, 32, 64, …, 512): convolutions 807,648 (the 1×1 terms shrink 4×,
   * the 3×3 ones 2×), batch norm 10,944, classifier 512·1000 + 1000 = 513,000. Running stats
   * 10,944.
   */
  private static final long TRAINABLE_ALPHA_HALF = 1_331_592;

  /**
   * α = 0.25 (8, 16, 32, …, 256): convolutions 207,600, batch norm 5,472, classifier 256·1000 +
   * 1000 = 257,000. Running stats 5,472.
   */
  private static final long TRAINABLE_ALPHA_QUARTER = 470_072;

  @Test
  void alphaOneMatchesThePaper() {
    Block block = MobileNetV1.builder().setNumClasses(1000).build();
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 224, 224));
      assertThat(count(block, true)).isEqualTo(TRAINABLE_ALPHA_1);
      assertThat(count(block, false)).isEqualTo(RUNNING_STATS_ALPHA_1);

      Map<String, Shape> params = parameterShapes(block);
      assertThat(params)
          .containsEntry("01stem_01Conv2d_weight", new Shape(32, 3, 3, 3))
          .containsEntry("02separable1_01Conv2d_weight", new Shape(32, 1, 3, 3)) // depthwise
          .containsEntry("02separable1_04Conv2d_weight", new Shape(64, 32, 1, 1)) // pointwise
          .containsEntry("14separable13_04Conv2d_weight", new Shape(1024, 1024, 1, 1))
          .containsEntry("16classifier_weight", new Shape(1000, 1024))
          .containsEntry("16classifier_bias", new Shape(1000));
      assertThat(params.keySet())
          .filteredOn(name -> name.endsWith("_bias"))
          .containsExactly("16classifier_bias");
    }
  }

  @Test
  void layerOutputShapesFollowTable1() {
    Block block = MobileNetV1.builder().setNumClasses(1000).build();
    Map<String, Shape> outputs = outputShapes(block, new Shape(1, 3, 224, 224));

    assertThat(outputs).hasSize(16);
    assertThat(outputs)
        .containsEntry("01stem", new Shape(1, 32, 112, 112))
        .containsEntry("02separable1", new Shape(1, 64, 112, 112))
        .containsEntry("03separable2", new Shape(1, 128, 56, 56))
        .containsEntry("05separable4", new Shape(1, 256, 28, 28))
        .containsEntry("07separable6", new Shape(1, 512, 14, 14))
        .containsEntry("12separable11", new Shape(1, 512, 14, 14))
        .containsEntry("13separable12", new Shape(1, 1024, 7, 7))
        .containsEntry("14separable13", new Shape(1, 1024, 7, 7))
        .containsEntry("15globalAvgPool", new Shape(1, 1024))
        .containsEntry("16classifier", new Shape(1, 1000));
  }

  @Test
  void widthMultiplierThinsEveryLayer() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Block half = MobileNetV1.builder().setNumClasses(1000).optWidthMultiplier(0.5f).build();
      half.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 224, 224));
      assertThat(count(half, true)).isEqualTo(TRAINABLE_ALPHA_HALF);
      assertThat(count(half, false)).isEqualTo(10_944);

      Block quarter = MobileNetV1.builder().setNumClasses(1000).optWidthMultiplier(0.25f).build();
      quarter.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 224, 224));
      assertThat(count(quarter, true)).isEqualTo(TRAINABLE_ALPHA_QUARTER);
      assertThat(count(quarter, false)).isEqualTo(5_472);
    }
  }

  @Test
  void forwardPassOnSmallGrayscaleBatch() {
    Block block =
        MobileNetV1.builder()
            .setNumClasses(10)
            .optWidthMultiplier(0.25f)
            .optInputChannels(1)
            .build();
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      block.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 32, 32));
      ParameterStore store = new ParameterStore(manager, false);
      NDArray images = manager.randomUniform(0f, 1f, new Shape(2, 1, 32, 32));

      NDArray logits = block.forward(store, new NDList(images), false).singletonOrThrow();

      assertThat(logits.getShape()).isEqualTo(new Shape(2, 10));
      assertThat(logits.isInfinite().any().getBoolean()).isFalse();
      assertThat(logits.isNaN().any().getBoolean()).isFalse();
      NDArray rgb = manager.zeros(new Shape(2, 3, 32, 32));
      assertThatThrownBy(() -> block.forward(store, new NDList(rgb), false))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expects input (batch, 1,")
          .hasMessageContaining("got (2, 3, 32, 32)");
      NDArray tiny = manager.zeros(new Shape(2, 1, 16, 16));
      assertThatThrownBy(() -> block.forward(store, new NDList(tiny), false))
          .hasMessageContaining("height >= 32");
    }
  }

  @Test
  void builderRejectsOutOfRangeSettings() {
    assertThatThrownBy(() -> MobileNetV1.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1 class")
        .hasMessageContaining("got 0");
    assertThatThrownBy(
            () -> MobileNetV1.builder().setNumClasses(10).optWidthMultiplier(1.5f).build())
        .hasMessageContaining("(0, 1]")
        .hasMessageContaining("got 1.5");
    assertThatThrownBy(() -> MobileNetV1.builder().setNumClasses(10).optWidthMultiplier(0f).build())
        .hasMessageContaining("got 0.0");
    assertThatThrownBy(
            () -> MobileNetV1.builder().setNumClasses(10).optWidthMultiplier(Float.NaN).build())
        .hasMessageContaining("got NaN");
    assertThatThrownBy(() -> MobileNetV1.builder().setNumClasses(10).optInputChannels(2).build())
        .hasMessageContaining("1 (grayscale) or 3 (RGB)")
        .hasMessageContaining("got 2");
  }

  private static long count(Block block, boolean trainable) {
    long total = 0;
    for (Pair<String, Parameter> pair : block.getParameters()) {
      Parameter parameter = pair.getValue();
      if (parameter.requiresGradient() == trainable) {
        total += parameter.getShape().size();
      }
    }
    return total;
  }

  private static Map<String, Shape> parameterShapes(Block block) {
    Map<String, Shape> shapes = new LinkedHashMap<>();
    for (Pair<String, Parameter> pair : block.getParameters()) {
      shapes.put(pair.getKey(), pair.getValue().getShape());
    }
    return shapes;
  }

  /** Shape inference only: no parameters are allocated and no forward pass runs. */
  private static Map<String, Shape> outputShapes(Block block, Shape input) {
    Map<String, Shape> outputs = new LinkedHashMap<>();
    Shape[] current = {input};
    for (Pair<String, Block> child : block.getChildren()) {
      current = child.getValue().getOutputShapes(current);
      outputs.put(child.getKey(), current[0]);
    }
    return outputs;
  }
}
