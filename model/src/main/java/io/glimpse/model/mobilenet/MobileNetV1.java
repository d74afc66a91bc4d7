package io.glimpse.model.mobilenet;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * MobileNetV1 exactly as the paper's Table 1: a 3×3 stride-2 convolution with 32·α filters, 13
 * depthwise-separable blocks, global average pooling and a fully connected classifier.
 *
 * <p>Every convolution is followed by batch normalization and ReLU and has no bias (the batch
 * norm's beta takes its place). Channel counts are {@code (int) (filters * α)}, as DJL's model zoo
 * does, so parameter files are interchangeable with {@code ai.djl.basicmodelzoo}'s MobileNetV1 of
 * the same α. At α = 1 with 1000 classes the network has 4,231,976 trainable parameters.
 *
 * <pre>{@code
 * Block block = MobileNetV1.builder().setNumClasses(10).optWidthMultiplier(0.5f)
 *         .optInputChannels(1).build();
 * }</pre>
 *
 * <p>The top-level children are named {@code 01stem}, {@code 02separable1} … {@code 14separable13},
 * {@code 15globalAvgPool} and {@code 16classifier}, so parameter names read like {@code
 * 01stem_01Conv2d_weight}.
 */
public final class MobileNetV1 {

  /** Smallest input height and width: five stride-2 layers bring 32 pixels down to 1. */
  public static final int MIN_INPUT_SIZE = 32;

  /** The batch norms' epsilon (DJL's and PyTorch's default); folding uses the same. */
  static final float BATCH_NORM_EPSILON = 1e-5f;

  /** Filters of the first (stem) convolution at α = 1. */
  static final int STEM_FILTERS = 32;

  /**
   * Table 1 after the stem, one row per depthwise-separable block: the pointwise convolution's
   * filters (at α = 1) and the depthwise convolution's stride. Table 1 lists the five 512-wide
   * stride-1 blocks as one row "5×"; they are spelled out here.
   */
  static final List<SeparableLayer> LAYERS =
      List.of(
          new SeparableLayer(64, 1),
          new SeparableLayer(128, 2),
          new SeparableLayer(128, 1),
          new SeparableLayer(256, 2),
          new SeparableLayer(256, 1),
          new SeparableLayer(512, 2),
          new SeparableLayer(512, 1),
          new SeparableLayer(512, 1),
          new SeparableLayer(512, 1),
          new SeparableLayer(512, 1),
          new SeparableLayer(512, 1),
          new SeparableLayer(1024, 2),
          new SeparableLayer(1024, 1));

  private MobileNetV1() {}

  /**
   * Returns a builder with α = 1 and 3 input channels; the number of classes must be set.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** One row of Table 1 after the stem: pointwise filters at α = 1 and depthwise stride. */
  record SeparableLayer(int filters, int stride) {}

  /** Builds the block from validated settings; one loop over {@link #LAYERS}. */
  static Block build(int numClasses, float widthMultiplier, int inputChannels) {
    MobileNetV1Block net = new MobileNetV1Block(inputChannels);
    int channels = scale(STEM_FILTERS, widthMultiplier);
    net.addLayer("stem", addConvBnRelu(new SequentialBlock(), conv(3, 2, channels, 1)));
    int index = 1;
    for (SeparableLayer layer : LAYERS) {
      int filters = scale(layer.filters(), widthMultiplier);
      net.addLayer("separable" + index++, separable(channels, filters, layer.stride()));
      channels = filters;
    }
    net.addLayer("globalAvgPool", Pool.globalAvgPool2dBlock());
    net.addLayer("classifier", Linear.builder().setUnits(numClasses).build());
    return net;
  }

  static int scale(int filters, float widthMultiplier) {
    return (int) (filters * widthMultiplier);
  }

  /** 3×3 depthwise convolution (one filter per input channel), then a 1×1 pointwise one. */
  private static SequentialBlock separable(int inChannels, int outChannels, int stride) {
    SequentialBlock block = new SequentialBlock();
    addConvBnRelu(block, conv(3, stride, inChannels, inChannels));
    return addConvBnRelu(block, conv(1, 1, outChannels, 1));
  }

  private static SequentialBlock addConvBnRelu(SequentialBlock block, Conv2d conv) {
    return block
        .add(conv)
        .add(BatchNorm.builder().optEpsilon(BATCH_NORM_EPSILON).build())
        .add(Activation::relu);
  }

  private static Conv2d conv(int kernel, int stride, int filters, int groups) {
    int padding = kernel / 2;
    return Conv2d.builder()
        .setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(padding, padding))
        .setFilters(filters)
        .optGroups(groups)
        .optBias(false)
        .build();
  }

  /**
   * Builder in DJL's words: {@code setX} is required, {@code optX} optional, {@link #build()}
   * validates.
   */
  public static final class Builder {
    private int numClasses;
    private float widthMultiplier = 1f;
    private int inputChannels = 3;

    private Builder() {}

    /**
     * Sets the number of classes, the output size of the final fully connected layer. Required.
     *
     * @param numClasses at least 1
     * @return this builder
     */
    public Builder setNumClasses(int numClasses) {
      this.numClasses = numClasses;
      return this;
    }

    /**
     * Sets the width multiplier α, which thins every layer to {@code (int) (filters * α)} channels.
     * Defaults to 1.
     *
     * @param widthMultiplier in (0, 1], and at least 1/32 so the stem keeps one channel
     * @return this builder
     */
    public Builder optWidthMultiplier(float widthMultiplier) {
      this.widthMultiplier = widthMultiplier;
      return this;
    }

    /**
     * Sets the number of image channels the network accepts: 1 (grayscale) or 3 (RGB). Defaults to
     * 3. The block rejects inputs with another channel count.
     *
     * @param inputChannels 1 or 3
     * @return this builder
     */
    public Builder optInputChannels(int inputChannels) {
      this.inputChannels = inputChannels;
      return this;
    }

    /**
     * Validates the settings and builds the network. The block still needs {@code initialize}
     * (training) or a parameter load before use.
     *
     * @return a new, uninitialized MobileNetV1 block
     * @throws IllegalArgumentException when a setting is out of range; the message says what was
     *     expected and what came
     */
    public Block build() {
      if (numClasses < 1) {
        throw new IllegalArgumentException(
            "MobileNetV1 needs at least 1 class (setNumClasses), got " + numClasses);
      }
      if (!(widthMultiplier > 0f && widthMultiplier <= 1f)
          || scale(STEM_FILTERS, widthMultiplier) < 1) {
        throw new IllegalArgumentException(
            "MobileNetV1 width multiplier must be in (0, 1] and at least 1/32 so every layer keeps"
                + " a channel, got "
                + widthMultiplier);
      }
      if (inputChannels != 1 && inputChannels != 3) {
        throw new IllegalArgumentException(
            "MobileNetV1 takes 1 (grayscale) or 3 (RGB) input channels, got " + inputChannels);
      }
      return MobileNetV1.build(numClasses, widthMultiplier, inputChannels);
    }
  }
}
