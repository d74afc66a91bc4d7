package io.glimpse.trainer.optim;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An exponential moving average of a network's weights: after every optimizer step each parameter's
 * average becomes {@code d · average + (1 − d) · weight}, batch-norm running statistics included
 * (as timm's {@code ModelEmaV2} does). The decay ramps up, {@code d = min(decay, (1 + n) / (10 +
 * n))} after n updates, so that the random starting weights are forgotten quickly (TensorFlow's
 * {@code ExponentialMovingAverage} with {@code num_updates}). A run with an average validates,
 * keeps and exports the averaged weights, not the raw ones.
 *
 * <p>The averages are kept in their own manager, by parameter name; {@link #swap()} exchanges them
 * with the network's weights in place (the parameters keep their arrays, so the optimizer's state
 * and the workers' gradients stay attached), and a second call undoes it exactly.
 */
public final class WeightAverage implements AutoCloseable {

  private final float decay;
  private final NDManager manager;
  private final Map<String, Parameter> parameters = new LinkedHashMap<>();
  private final Map<String, NDArray> averages = new LinkedHashMap<>();
  private int updates;

  /**
   * Starts an average at the network's current weights.
   *
   * @param block an initialized network
   * @param decay the decay once ramped up, in (0, 1)
   * @param updatesDone optimizer steps already taken (a resumed run's), for the ramp
   * @param parent the manager the averages' own manager is made from
   */
  public WeightAverage(Block block, float decay, int updatesDone, NDManager parent) {
    if (!(decay > 0 && decay < 1)) {
      throw new IllegalArgumentException("the decay of an average must be in (0, 1), got " + decay);
    }
    this.decay = decay;
    this.updates = updatesDone;
    this.manager = parent.newSubManager();
    for (Pair<String, Parameter> pair : block.getParameters()) {
      NDArray copy = pair.getValue().getArray().duplicate();
      copy.attach(manager);
      parameters.put(pair.getKey(), pair.getValue());
      averages.put(pair.getKey(), copy);
    }
  }

  /**
   * Returns the decay the next update uses.
   *
   * @return {@code min(decay, (1 + n) / (10 + n))} for the n-th update
   */
  public float nextDecay() {
    int n = updates + 1;
    return Math.min(decay, (1f + n) / (10f + n));
  }

  /**
   * Moves every average towards the network's current weights; call after each step. The weights
   * are read detached from autograd: on a thread where gradient mode is on (it is per thread in
   * libtorch), arithmetic on them would otherwise chain every step into one growing graph.
   */
  public void update() {
    float d = nextDecay();
    updates++;
    for (Map.Entry<String, NDArray> entry : averages.entrySet()) {
      NDArray average = entry.getValue();
      try (NDArray weight = parameters.get(entry.getKey()).getArray().stopGradient();
          NDArray step = weight.sub(average)) {
        average.addi(step.muli(1 - d));
      }
    }
  }

  /** Exchanges the averaged and the network's weights in place; a second call undoes it. */
  public void swap() {
    for (Map.Entry<String, NDArray> entry : averages.entrySet()) {
      NDArray weight = parameters.get(entry.getKey()).getArray();
      NDArray average = entry.getValue();
      try (NDArray saved = weight.duplicate()) {
        average.copyTo(weight);
        saved.copyTo(average);
      }
    }
  }

  /**
   * Saves the averaged weights as a DJL parameter file of the model, as {@code model.save} would
   * save its own; the model's weights are the same afterwards.
   *
   * @param model the model whose network this averages
   * @param directory where the file goes
   * @param prefix the file's prefix ({@code <prefix>-0000.params})
   * @throws IOException when writing fails
   */
  public void saveAveraged(Model model, Path directory, String prefix) throws IOException {
    swap();
    try {
      model.save(directory, prefix);
    } finally {
      swap();
    }
  }

  /**
   * Returns the averages, each named after its parameter, for a checkpoint.
   *
   * @return the arrays; still owned by this average
   */
  public NDList state() {
    NDList list = new NDList();
    averages.forEach(
        (name, array) -> {
          array.setName(name);
          list.add(array);
        });
    return list;
  }

  /**
   * Restores averages saved by {@link #state()}.
   *
   * @param saved arrays named after parameters of this network
   * @throws IllegalArgumentException when one names no parameter, or a parameter has none
   */
  public void load(NDList saved) {
    if (saved.size() != averages.size()) {
      throw new IllegalArgumentException(
          "the saved average has " + saved.size() + " arrays, the network " + averages.size());
    }
    for (NDArray array : saved) {
      NDArray average = averages.get(array.getName());
      if (average == null) {
        throw new IllegalArgumentException(
            "averaged weight " + array.getName() + " belongs to no parameter of this network");
      }
      array.copyTo(average);
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
