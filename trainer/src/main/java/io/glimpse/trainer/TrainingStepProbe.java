package io.glimpse.trainer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Batchifier;
import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.Normalization;
import io.glimpse.trainer.optim.SmoothedCrossEntropyLoss;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One training step of a configuration's network on batches the caller makes, for {@code bench
 * train}: the network, starting weights, loss, optimizer and {@link DataParallelStep} that {@code
 * glimpse train} builds from the same {@link TrainingConfig}, and the step {@link EpochTrainer}
 * takes per batch (workers' forward and backward, then the optimizer step). Data loading,
 * validation and checkpoints are left out. A weight average, when configured, is left out too.
 */
public final class TrainingStepProbe implements AutoCloseable {

  /** Steps per epoch for the learning-rate schedule: Fashion-MNIST's at batch 128 (about 390). */
  private static final int STEPS_PER_EPOCH = 390;

  /**
   * Milliseconds spent in each phase of one step on the calling thread.
   *
   * @param forward the network's forward pass
   * @param loss the loss and its weighting
   * @param backward libtorch's backward pass
   * @param readBack the loss and the predicted classes copied to Java, as a worker does
   * @param optimizer DJL's {@code Trainer.step()}: the optimizer over every parameter
   */
  public record Phases(
      double forward, double loss, double backward, double readBack, double optimizer) {}

  private final Model model;
  private final Trainer trainer;
  private final DataParallelStep step;
  private final InputShape input;

  /**
   * Builds and initializes the network of {@code config} (its width, seed, loss, optimizer and
   * workers) for {@code input} and {@code classes}.
   *
   * @param config the run's configuration; only its data source is not used
   * @param input the network's input shape
   * @param classes the number of classes
   */
  public TrainingStepProbe(TrainingConfig config, InputShape input, int classes) {
    this.input = input;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < classes; i++) {
      names.add("class" + i);
    }
    PreparedRun run =
        new PreparedRun(
            input,
            config.widthMultiplier(),
            names,
            new Normalization(
                Collections.nCopies(input.channels(), 0f),
                Collections.nCopies(input.channels(), 1f)),
            null,
            null,
            null,
            null,
            "bench");
    this.model = Model.newInstance(config.modelName(), Device.cpu(), NetworkFactory.ENGINE);
    model.setBlock(NetworkFactory.block(run));
    NetworkFactory.initialize(model, run, config.seed());
    DefaultTrainingConfig djlConfig =
        new DefaultTrainingConfig(new SmoothedCrossEntropyLoss(classes, config.labelSmoothing()))
            .optOptimizer(
                new TrainingLoop(config, run, ProgressListener.NONE)
                    .optimizer(model, STEPS_PER_EPOCH, 0))
            .optDevices(new Device[] {Device.cpu()});
    this.trainer = model.newTrainer(djlConfig);
    trainer.initialize(input.toBatchShape(config.batchSize()));
    this.step = new DataParallelStep(trainer, config.workers());
  }

  /**
   * Returns the manager batches should be made from (they are closed after their step).
   *
   * @return the trainer's manager
   */
  public NDManager manager() {
    return trainer.getManager();
  }

  /**
   * Returns how many workers share a batch.
   *
   * @return the workers
   */
  public int workers() {
    return step.workers();
  }

  /**
   * Returns the number of trainable values in the network.
   *
   * @return the trainable parameters' total size
   */
  public long trainableParameters() {
    return model.getBlock().getParameters().stream()
        .filter(p -> p.getValue().requiresGradient())
        .mapToLong(p -> p.getValue().getArray().size())
        .sum();
  }

  /**
   * One step as {@code glimpse train} takes it: forward and backward on the workers, then the
   * optimizer. Closes the batch's manager afterwards, as the epoch loop does.
   *
   * @param manager the batch's own manager, holding {@code data} and {@code labels}
   * @param data images, (batch, channels, height, width)
   * @param labels class indices as floats, (batch)
   * @return the batch's mean loss
   * @throws TrainingException when a worker fails
   */
  public float step(NDManager manager, NDArray data, NDArray labels) throws TrainingException {
    try (Batch batch = batch(manager, data, labels)) {
      DataParallelStep.Outcome outcome = step.forwardBackward(batch);
      trainer.step();
      return outcome.loss();
    }
  }

  /**
   * One step on the calling thread alone, timed phase by phase: what one worker does, then the
   * optimizer step. Set the calling thread's intra-op threads first. Closes the batch's manager.
   *
   * @param manager the batch's own manager, holding {@code data} and {@code labels}
   * @param data images, (batch, channels, height, width)
   * @param labels class indices as floats, (batch)
   * @return the time of each phase
   */
  public Phases timedStep(NDManager manager, NDArray data, NDArray labels) {
    try (Batch batch = batch(manager, data, labels)) {
      NDArray x = batch.getData().singletonOrThrow();
      NDArray y = batch.getLabels().singletonOrThrow();
      JniUtils.setGradMode(true);
      long t0 = System.nanoTime();
      NDList predictions = trainer.forward(new NDList(x));
      long t1 = System.nanoTime();
      NDArray weighted = trainer.getLoss().evaluate(new NDList(y), predictions).mul(1f);
      long t2 = System.nanoTime();
      JniUtils.backward((PtNDArray) weighted, (PtNDArray) weighted.onesLike(), false, false);
      long t3 = System.nanoTime();
      weighted.getFloat();
      predictions.singletonOrThrow().argMax(1).toLongArray();
      y.toFloatArray();
      long t4 = System.nanoTime();
      JniUtils.setGradMode(false);
      trainer.step();
      long t5 = System.nanoTime();
      return new Phases(ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t4 - t3), ms(t5 - t4));
    } finally {
      JniUtils.setGradMode(false);
    }
  }

  private Batch batch(NDManager manager, NDArray data, NDArray labels) {
    int size = (int) data.getShape().get(0);
    if (!data.getShape().equals(input.toBatchShape(size))) {
      throw new IllegalArgumentException(
          "expected images of shape " + input.toBatchShape(size) + ", got " + data.getShape());
    }
    return new Batch(
        manager,
        new NDList(data),
        new NDList(labels),
        size,
        Batchifier.STACK,
        Batchifier.STACK,
        0,
        0);
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  @Override
  public void close() {
    step.close();
    trainer.close();
    model.close();
  }
}
