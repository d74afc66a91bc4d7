package io.glimpse.model.mobilenet;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The top-level MobileNetV1 sequence. It names its children after Table 1 and rejects inputs the
 * network was not built for, so a wrong channel count fails with a clear message instead of a
 * libtorch shape error deep inside the first convolution. It saves and loads exactly like a plain
 * {@link SequentialBlock}.
 */
final class MobileNetV1Block extends SequentialBlock {

  private final int inputChannels;

  MobileNetV1Block(int inputChannels) {
    this.inputChannels = inputChannels;
  }

  void addLayer(String name, Block layer) {
    addChildBlock(name, layer);
  }

  @Override
  public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    checkInput(inputShapes[0]);
    super.initializeChildBlocks(manager, dataType, inputShapes);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    checkInput(inputs.head().getShape());
    return super.forwardInternal(parameterStore, inputs, training, params);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList data, NDList labels, PairList<String, Object> params) {
    checkInput(data.head().getShape());
    return super.forwardInternal(parameterStore, data, labels, params);
  }

  private void checkInput(Shape shape) {
    boolean ok =
        shape.dimension() == 4
            && shape.get(1) == inputChannels
            && shape.get(2) >= MobileNetV1.MIN_INPUT_SIZE
            && shape.get(3) >= MobileNetV1.MIN_INPUT_SIZE;
    if (!ok) {
      throw new IllegalArgumentException(
          "MobileNetV1 expects input (batch, "
              + inputChannels
              + ", height >= "
              + MobileNetV1.MIN_INPUT_SIZE
              + ", width >= "
              + MobileNetV1.MIN_INPUT_SIZE
              + "), got "
              + shape);
    }
  }
}
