package io.glimpse.trainer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The forward and backward passes of one training step on several threads: data parallelism on one
 * machine. Each batch is cut into contiguous shares, one per worker; every worker runs its share
 * through the network and back-propagates its part of the batch's mean loss (its loss times its
 * share of the images), so the gradients add up to the whole batch's. The optimizer step stays with
 * the caller ({@link Trainer#step()}).
 *
 * <p>All workers run the one block with its one set of trainable arrays, so there is nothing to
 * copy or average: libtorch's autograd adds each worker's gradient into the parameter's gradient
 * under a lock. With two workers the order of that addition cannot change the sum (floating-point
 * addition of two terms is commutative), so a seeded run repeats exactly; with more, the order of
 * additions may vary the last bits from run to run. The only state a forward pass writes is batch
 * normalization's running statistics, which would race: worker 0 updates the network's own (they
 * are what validation and the artifact use, as the first replica's are in PyTorch's
 * DistributedDataParallel), the others update private copies that are never read. Batch statistics
 * are per share, as with one process per share.
 *
 * <p>Why: libtorch runs MobileNetV1's small tensors on one core hardly slower than on two (an
 * intra-op thread team has too little to share), so the second core of a small machine helps only
 * by working on other images. Workers run with gradient mode on, set per thread, because this is
 * PyTorch's thread-local state; DJL's {@code GradientCollector} allows only one collector at a time
 * in the whole process, so the workers call libtorch's backward directly.
 */
final class DataParallelStep implements AutoCloseable {

  /** What one step saw: the batch's mean loss and how many images the network got right. */
  record Outcome(float loss, long correct) {}

  private final Trainer trainer;
  private final Block block;
  private final Loss loss;
  private final List<ParameterStore> stores = new ArrayList<>();
  private final ExecutorService workers;

  /**
   * Workers over the trainer's model.
   *
   * @param trainer the trainer of an initialized model; worker 0 forwards through it
   * @param workers how many threads share each batch, at least 1
   */
  DataParallelStep(Trainer trainer, int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    this.trainer = trainer;
    this.block = trainer.getModel().getBlock();
    this.loss = trainer.getLoss();
    for (Pair<String, Parameter> pair : block.getParameters()) {
      if (pair.getValue().requiresGradient()) {
        pair.getValue().getArray().setRequiresGradient(true);
      }
    }
    for (int i = 1; i < workers; i++) {
      stores.add(new ReplicaParameterStore(trainer.getManager().newSubManager()));
    }
    AtomicInteger number = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            workers,
            r -> {
              Thread thread = new Thread(r, "glimpse-train-worker-" + number.getAndIncrement());
              thread.setDaemon(true);
              return thread;
            });
  }

  int workers() {
    return stores.size() + 1;
  }

  /**
   * Computes the batch's gradients into the parameters' gradients.
   *
   * @throws TrainingException when a worker fails
   */
  Outcome forwardBackward(Batch batch) throws TrainingException {
    NDArray data = batch.getData().singletonOrThrow();
    NDArray labels = batch.getLabels().singletonOrThrow();
    int size = batch.getSize();
    int shares = Math.min(workers(), size);
    List<Future<Outcome>> results = new ArrayList<>(shares);
    for (int share = 0; share < shares; share++) {
      int from = (int) ((long) size * share / shares);
      int to = (int) ((long) size * (share + 1) / shares);
      NDArray x = data.get(from + ":" + to);
      NDArray y = labels.get(from + ":" + to);
      float weight = (to - from) / (float) size;
      ParameterStore store = share == 0 ? null : stores.get(share - 1);
      results.add(workers.submit(() -> forwardBackward(store, x, y, weight)));
    }
    float lossSum = 0;
    long correct = 0;
    Throwable failure = null;
    for (Future<Outcome> result : results) { // all of them: no worker outlives the batch's arrays
      try {
        Outcome outcome = getUninterruptibly(result);
        lossSum += outcome.loss();
        correct += outcome.correct();
      } catch (ExecutionException e) {
        failure = failure == null ? e.getCause() : failure;
      }
    }
    if (failure != null) {
      throw new TrainingException("a training worker failed: " + failure, failure);
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new TrainingException("interrupted while training a batch");
    }
    return new Outcome(lossSum, correct);
  }

  /** Waits for a worker even when interrupted; the interrupt stays set for the caller. */
  private static Outcome getUninterruptibly(Future<Outcome> result) throws ExecutionException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return result.get();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** One share on a worker thread; the loss it returns is already weighted by the share. */
  private Outcome forwardBackward(ParameterStore store, NDArray x, NDArray y, float weight) {
    JniUtils.setGradMode(true);
    try {
      NDList predictions =
          store == null
              ? trainer.forward(new NDList(x))
              : block.forward(store, new NDList(x), true);
      NDArray weighted = loss.evaluate(new NDList(y), predictions).mul(weight);
      JniUtils.backward((PtNDArray) weighted, (PtNDArray) weighted.onesLike(), false, false);
      return new Outcome(weighted.getFloat(), correct(predictions.singletonOrThrow(), y));
    } finally {
      JniUtils.setGradMode(false);
    }
  }

  private static long correct(NDArray logits, NDArray labels) {
    long[] predicted = logits.argMax(1).toLongArray();
    float[] actual = labels.toFloatArray();
    long right = 0;
    for (int i = 0; i < predicted.length; i++) {
      if (predicted[i] == (long) actual[i]) {
        right++;
      }
    }
    return right;
  }

  @Override
  public void close() {
    workers.shutdownNow();
    for (ParameterStore store : stores) {
      store.getManager().close();
    }
  }

  /**
   * The network's own arrays, except batch normalization's running statistics: private copies, made
   * with the store, so that two workers never write the same statistics. The copies belong to the
   * store's manager; closing it frees them.
   */
  private final class ReplicaParameterStore extends ParameterStore {
    private final Map<String, NDArray> statistics = new HashMap<>();

    ReplicaParameterStore(NDManager manager) {
      super(manager, false);
      for (Pair<String, Parameter> pair : block.getParameters()) {
        Parameter parameter = pair.getValue();
        if (isRunningStatistic(parameter)) {
          NDArray copy = parameter.getArray().duplicate();
          copy.attach(manager);
          statistics.put(parameter.getId(), copy);
        }
      }
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
      if (parameter == null) { // an optional parameter a block does not have (a conv's bias)
        return null;
      }
      NDArray own = statistics.get(parameter.getId());
      return own != null ? own : parameter.getArray();
    }
  }

  private static boolean isRunningStatistic(Parameter parameter) {
    return parameter.getType() == Parameter.Type.RUNNING_MEAN
        || parameter.getType() == Parameter.Type.RUNNING_VAR;
  }
}
