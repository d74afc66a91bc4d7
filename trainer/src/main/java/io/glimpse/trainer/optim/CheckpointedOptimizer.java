package io.glimpse.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A DJL {@link Optimizer} whose per-parameter state (momentum, Adam's moments) can be saved with a
 * checkpoint and restored into a new run, keyed by parameter <em>name</em> (DJL's parameter ids are
 * random per process). State arrays are created next to each weight, from the weight's own manager,
 * so they are freed with the model.
 *
 * <p>Weight decay is applied to convolution and linear weights only: batch-norm scales and shifts
 * and biases are left undecayed ({@code noDecay}), the usual practice for small networks.
 */
public abstract class CheckpointedOptimizer extends Optimizer {

  private final Tracker learningRate;
  private final int slots;
  private final Set<String> noDecay;
  private final float weightDecay;
  private final Map<String, NDArray[]> states = new ConcurrentHashMap<>();

  /**
   * Creates the optimizer.
   *
   * @param settings the schedule, decay and the update count to start from
   * @param slots state arrays per parameter (1 for momentum, 2 for Adam)
   */
  protected CheckpointedOptimizer(OptimizerSettings settings, int slots) {
    super(
        new SettingsBuilder()
            .optWeightDecays(settings.weightDecay())
            .optBeginNumUpdate(settings.beginNumUpdate()));
    this.learningRate = settings.learningRate();
    this.slots = slots;
    this.noDecay = Set.copyOf(settings.noDecayParameterIds());
    this.weightDecay = settings.weightDecay();
  }

  /**
   * Returns the learning rate of an update, for reporting.
   *
   * @param numUpdate the update number, from 1
   * @return the learning rate the schedule gives it
   */
  public float learningRateAt(int numUpdate) {
    return learningRate.getNewValue(numUpdate);
  }

  /**
   * Returns the weight decay for a parameter: 0 for the exempt ones.
   *
   * @param parameterId DJL's parameter id
   * @return the decay
   */
  protected float weightDecayOf(String parameterId) {
    return noDecay.contains(parameterId) ? 0f : weightDecay;
  }

  /**
   * Returns a parameter's state arrays, creating zeros of the weight's shape on first use.
   *
   * @param parameterId DJL's parameter id
   * @param weight the parameter's weight
   * @return {@code slots} arrays
   */
  protected NDArray[] state(String parameterId, NDArray weight) {
    return states.computeIfAbsent(
        parameterId,
        id -> {
          NDArray[] arrays = new NDArray[slots];
          for (int i = 0; i < slots; i++) {
            arrays[i] = weight.zerosLike();
          }
          return arrays;
        });
  }

  /**
   * Returns the state of every parameter updated so far, each array named {@code <parameter
   * name>#<slot>}, for a checkpoint.
   *
   * @param namesById DJL parameter id to parameter name
   * @return the named arrays; still owned by the model's manager
   */
  public NDList saveState(Map<String, String> namesById) {
    NDList list = new NDList();
    states.forEach(
        (id, arrays) -> {
          for (int i = 0; i < arrays.length; i++) {
            arrays[i].setName(namesById.get(id) + "#" + i);
            list.add(arrays[i]);
          }
        });
    return list;
  }

  /**
   * Restores state saved by {@link #saveState}, before the first update.
   *
   * @param saved arrays named {@code <parameter name>#<slot>}
   * @param idsByName parameter name to DJL parameter id in this run
   * @param manager the manager that will own the restored arrays (the model's)
   * @throws IllegalArgumentException when a saved array names no parameter of this model
   */
  public void loadState(NDList saved, Map<String, String> idsByName, NDManager manager) {
    for (NDArray array : saved) {
      String name = array.getName();
      int hash = name.lastIndexOf('#');
      String id = idsByName.get(name.substring(0, Math.max(0, hash)));
      if (hash < 0 || id == null) {
        throw new IllegalArgumentException(
            "optimizer state " + name + " belongs to no parameter of this model");
      }
      int slot = Integer.parseInt(name.substring(hash + 1));
      array.attach(manager);
      states.computeIfAbsent(id, k -> new NDArray[slots])[slot] = array;
    }
  }

  /** DJL's builder, used only to pass decay and the starting update count to the superclass. */
  private static final class SettingsBuilder extends OptimizerBuilder<SettingsBuilder> {
    @Override
    protected SettingsBuilder self() {
      return this;
    }
  }
}
