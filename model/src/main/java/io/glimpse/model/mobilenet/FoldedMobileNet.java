package io.glimpse.model.mobilenet;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a trained MobileNetV1 block into the form Glimpse serves: every BatchNorm folded into the
 * convolution before it, and the whole network run by one TorchScript program per batch.
 *
 * <p>Why: a DJL block runs op by op, one JNI call and one Java {@code NDArray} per operation (about
 * 85 at batch 1), and keeps every intermediate array until the batch's manager closes. The folded
 * program makes one call into libtorch per batch, has 27 convolutions and 27 in-place ReLUs instead
 * of 27 convolutions, 27 batch norms and 27 ReLUs, and frees each activation as soon as the next
 * layer has read it. On the CPU the activations stay in oneDNN's blocked layout from the first
 * convolution to the pooling (a dense NCHW tensor is reordered into it and back around every
 * convolution); in {@link Precision#BF16} the convolutions compute in bfloat16. What each step
 * bought is measured in README.md ("Engine speed").
 *
 * <p>The program, {@code folded_mobilenet_v1.pt}, is TorchScript code without weights, written by
 * {@code model/src/main/torchscript/folded_mobilenet_v1.py}; the weights, strides and groups come
 * from the trained block and {@link MobileNetV1#LAYERS}. The trained model is left as it is (the
 * artifact keeps the trained form); the folded one is a second {@link Model} owning its own copy of
 * the folded weights.
 */
public final class FoldedMobileNet {
  static final String PROGRAM = "folded_mobilenet_v1.pt";
  private static final String ENGINE = "PyTorch";

  private FoldedMobileNet() {}

  /**
   * Builds the folded model on the trained model's device.
   *
   * @param trained a model whose block is a loaded {@link MobileNetV1} (with parameters)
   * @return a new model, owned by the caller, whose block is the folded program; predict with it as
   *     with the trained one (NCHW float input, logits out)
   * @throws IOException when the program cannot be read from the classpath
   * @throws IllegalArgumentException when the block is not a MobileNetV1
   */
  public static Model fold(Model trained) throws IOException {
    return fold(trained, Precision.FP32);
  }

  /**
   * Builds the folded model on the trained model's device, computing in {@code precision}.
   *
   * @param trained a model whose block is a loaded {@link MobileNetV1} (with parameters)
   * @param precision what the convolutions compute in; input and logits stay fp32
   * @return a new model, owned by the caller
   * @throws IOException when the program cannot be read from the classpath
   * @throws IllegalArgumentException when the block is not a MobileNetV1
   */
  public static Model fold(Model trained, Precision precision) throws IOException {
    Layers layers = Layers.of(trained.getBlock());
    Model folded =
        Model.newInstance(
            trained.getName() + "-folded", trained.getNDManager().getDevice(), ENGINE);
    try {
      PtNDManager manager = (PtNDManager) folded.getNDManager();
      PtSymbolBlock program = load(manager);
      setUp(program, manager, layers, precision);
      folded.setBlock(program);
      return folded;
    } catch (IOException | RuntimeException e) {
      folded.close();
      throw e;
    }
  }

  private static PtSymbolBlock load(PtNDManager manager) throws IOException {
    try (InputStream in = FoldedMobileNet.class.getResourceAsStream(PROGRAM)) {
      if (in == null) {
        throw new IOException(PROGRAM + " is missing from the classpath; rebuild glimpse-model");
      }
      return JniUtils.loadModule(manager, in, true, false);
    }
  }

  private static void setUp(
      PtSymbolBlock program, PtNDManager manager, Layers layers, Precision precision) {
    int n = layers.convs.size();
    PtNDArray[] weights = new PtNDArray[n];
    PtNDArray[] biases = new PtNDArray[n];
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (int i = 0; i < n; i++) {
        NDArray[] wb = fold(layers.convs.get(i), layers.norms.get(i));
        NDScope.unregister(wb);
        weights[i] = attach(wb[0], manager);
        biases[i] = attach(wb[1], manager);
      }
    }
    PtNDArray classifierWeight = attach(param(layers.classifier, "weight").duplicate(), manager);
    PtNDArray classifierBias = attach(param(layers.classifier, "bias").duplicate(), manager);
    IValue[] arguments = {
      IValue.listFrom(weights),
      IValue.listFrom(biases),
      IValue.listFrom(layers.strides()),
      IValue.listFrom(layers.groups()),
      IValue.from(classifierWeight),
      IValue.from(classifierBias),
      IValue.from(precision.word()),
      // oneDNN's blocked layout throughout on the CPU; CUDA tensors cannot take it.
      IValue.from(!manager.getDevice().isGpu())
    };
    try (IValue count = IValueUtils.runMethod(program, "setup", arguments)) {
      if (count.toLong() != n) {
        throw new IllegalStateException(
            PROGRAM + " took " + count.toLong() + " convolutions, expected " + n);
      }
    } finally {
      for (IValue argument : arguments) {
        argument.close();
      }
    }
  }

  /**
   * {@code w * gamma / sqrt(var + eps)} and {@code beta - mean * gamma / sqrt(var + eps)}: the
   * convolution that computes what the convolution and the inference-mode batch norm did.
   */
  private static NDArray[] fold(Conv2d conv, BatchNorm norm) {
    NDArray scale =
        param(norm, "gamma")
            .div(param(norm, "runningVar").add(MobileNetV1.BATCH_NORM_EPSILON).sqrt());
    NDArray weight = param(conv, "weight").mul(scale.reshape(-1, 1, 1, 1));
    NDArray bias = param(norm, "beta").sub(param(norm, "runningMean").mul(scale));
    return new NDArray[] {weight, bias};
  }

  private static PtNDArray attach(NDArray array, PtNDManager manager) {
    array.attach(manager);
    return (PtNDArray) array;
  }

  private static NDArray param(Block block, String name) {
    return block.getParameters().get(name).getArray();
  }

  /** The trained block's convolutions, their batch norms and the classifier, in order. */
  private record Layers(List<Conv2d> convs, List<BatchNorm> norms, Linear classifier) {

    static Layers of(Block net) {
      List<Conv2d> convs = new ArrayList<>();
      List<BatchNorm> norms = new ArrayList<>();
      List<Linear> linears = new ArrayList<>();
      collect(net, convs, norms, linears);
      int expected = 1 + 2 * MobileNetV1.LAYERS.size();
      if (convs.size() != expected || norms.size() != expected || linears.size() != 1) {
        throw new IllegalArgumentException(
            "expected a MobileNetV1 block ("
                + expected
                + " convolutions and batch norms, 1 classifier), got "
                + convs.size()
                + ", "
                + norms.size()
                + " and "
                + linears.size());
      }
      return new Layers(convs, norms, linears.get(0));
    }

    private static void collect(
        Block block, List<Conv2d> convs, List<BatchNorm> norms, List<Linear> linears) {
      if (block instanceof Conv2d conv) {
        convs.add(conv);
      } else if (block instanceof BatchNorm norm) {
        norms.add(norm);
      } else if (block instanceof Linear linear) {
        linears.add(linear);
      }
      block.getChildren().values().forEach(child -> collect(child, convs, norms, linears));
    }

    /** The stem's stride 2, then each separable layer's depthwise stride and pointwise 1. */
    long[] strides() {
      long[] strides = new long[convs.size()];
      strides[0] = 2;
      for (int i = 0; i < MobileNetV1.LAYERS.size(); i++) {
        strides[1 + 2 * i] = MobileNetV1.LAYERS.get(i).stride();
        strides[2 + 2 * i] = 1;
      }
      return strides;
    }

    /** Depthwise convolutions have one group per channel; the stem and pointwise ones one. */
    long[] groups() {
      long[] groups = new long[convs.size()];
      groups[0] = 1;
      for (int i = 0; i < MobileNetV1.LAYERS.size(); i++) {
        groups[1 + 2 * i] = param(convs.get(1 + 2 * i), "weight").getShape().get(0);
        groups[2 + 2 * i] = 1;
      }
      return groups;
    }
  }
}
