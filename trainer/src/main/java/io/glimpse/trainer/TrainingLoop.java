package io.glimpse.trainer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import io.glimpse.trainer.EpochTrainer.Outcome;
import io.glimpse.trainer.checkpoint.CheckpointStore;
import io.glimpse.trainer.checkpoint.TrainingState;
import io.glimpse.trainer.metrics.ClassificationReport;
import io.glimpse.trainer.metrics.EpochMetrics;
import io.glimpse.trainer.optim.CheckpointedAdam;
import io.glimpse.trainer.optim.CheckpointedOptimizer;
import io.glimpse.trainer.optim.CheckpointedSgd;
import io.glimpse.trainer.optim.OptimizerSettings;
import io.glimpse.trainer.optim.SmoothedCrossEntropyLoss;
import io.glimpse.trainer.optim.WarmupCosineSchedule;
import io.glimpse.trainer.optim.WeightAverage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The epochs of a run on a DJL {@link Trainer}: train, validate, checkpoint, repeat. It owns the
 * trainer and closes it before returning; the model stays with the caller.
 */
final class TrainingLoop {

  private final TrainingConfig config;
  private final PreparedRun run;
  private final ProgressListener listener;
  private final CheckpointStore checkpoints;

  TrainingLoop(TrainingConfig config, PreparedRun run, ProgressListener listener) {
    this.config = config;
    this.run = run;
    this.listener = listener;
    this.checkpoints = new CheckpointStore(config.checkpointDirectory());
  }

  /**
   * Trains from {@code state} to the configured number of epochs.
   *
   * @param resumedFrom the checkpoint {@code state} came from (its optimizer state is restored), or
   *     null for a new run
   * @return the last checkpoint written (or {@code resumedFrom} when no epoch was left)
   */
  Path train(Model model, TrainingState state, Path resumedFrom, Device device)
      throws TrainingException {
    int stepsPerEpoch = run.train().batchesPerEpoch(config.maxBatchesPerEpoch());
    CheckpointedOptimizer optimizer = optimizer(model, stepsPerEpoch, state.stepsDone());
    DefaultTrainingConfig djlConfig =
        new DefaultTrainingConfig(
                new SmoothedCrossEntropyLoss(run.classes().size(), config.labelSmoothing()))
            .optOptimizer(optimizer)
            .optDevices(new Device[] {device});
    Path last = resumedFrom;
    try (Trainer trainer = model.newTrainer(djlConfig);
        DataParallelStep step = new DataParallelStep(trainer, config.workers());
        WeightAverage average = average(model, state, resumedFrom)) {
      trainer.initialize(run.input().toBatchShape(config.batchSize()));
      if (resumedFrom != null) {
        restoreOptimizer(model, optimizer, resumedFrom);
      }
      for (int epoch = state.epochsDone() + 1; epoch <= config.epochs(); epoch++) {
        long start = System.nanoTime();
        listener.onEpochStart(epoch, config.epochs(), stepsPerEpoch, config.batchSize());
        EpochMetrics metrics = epoch(trainer, step, average, epoch, state, optimizer, start);
        boolean best = state.isBetter(metrics);
        state = state.after(metrics, stepsPerEpoch, (System.nanoTime() - start) / 1e9);
        NDList optimizerState = optimizer.saveState(namesById(model));
        last = checkpoints.save(model, optimizerState, state, last, average);
        listener.onEpochEnd(metrics, best);
      }
    } catch (IOException e) {
      throw new TrainingException(
          "cannot write a checkpoint under "
              + config.checkpointDirectory()
              + ": "
              + e
              + "; check free space and permissions",
          e);
    }
    return last;
  }

  private EpochMetrics epoch(
      Trainer trainer,
      DataParallelStep step,
      WeightAverage average,
      int epoch,
      TrainingState state,
      CheckpointedOptimizer optimizer,
      long start)
      throws TrainingException {
    Runnable afterStep = average == null ? () -> {} : average::update;
    Outcome outcome =
        EpochTrainer.run(
            trainer, step, run.train(), epoch, config.maxBatchesPerEpoch(), afterStep, listener);
    ClassificationReport validation = validate(trainer, average);
    int stepsDone = state.stepsDone() + run.train().batchesPerEpoch(config.maxBatchesPerEpoch());
    return new EpochMetrics(
        epoch,
        outcome.loss(),
        outcome.accuracy(),
        validation.loss(),
        validation.accuracy(),
        optimizer.learningRateAt(stepsDone),
        outcome.seconds(),
        outcome.images() / outcome.seconds(),
        state.elapsedSeconds() + (System.nanoTime() - start) / 1e9);
  }

  /** Validates the weights the run keeps: the average when there is one, else the network's. */
  private ClassificationReport validate(Trainer trainer, WeightAverage average) {
    if (average == null) {
      return ModelEvaluation.evaluate(
          run.validation(), trainer.getManager(), trainer::evaluate, trainer.getLoss());
    }
    average.swap();
    try {
      return ModelEvaluation.evaluate(
          run.validation(), trainer.getManager(), trainer::evaluate, trainer.getLoss());
    } finally {
      average.swap();
    }
  }

  /** The run's average of the weights (resumed from the checkpoint's), or null for none. */
  private WeightAverage average(Model model, TrainingState state, Path resumedFrom)
      throws TrainingException {
    if (config.averageDecay() == 0) {
      return null;
    }
    WeightAverage average =
        new WeightAverage(
            model.getBlock(), config.averageDecay(), state.stepsDone(), model.getNDManager());
    if (resumedFrom == null) {
      return average;
    }
    try (NDManager scratch = model.getNDManager().newSubManager()) {
      Optional<NDList> saved = CheckpointStore.readAverage(resumedFrom, scratch);
      if (saved.isEmpty()) {
        throw new TrainingException(
            "checkpoint " + resumedFrom + " holds no average of the weights (average.ndlist)");
      }
      average.load(saved.get());
      return average;
    } catch (IOException | RuntimeException e) {
      average.close();
      throw new TrainingException(
          "cannot read the average of the weights in checkpoint " + resumedFrom + ": " + e, e);
    } catch (TrainingException e) {
      average.close();
      throw e;
    }
  }

  CheckpointedOptimizer optimizer(Model model, int stepsPerEpoch, int stepsDone) {
    int total = Math.max(1, config.epochs() * stepsPerEpoch);
    int warmup = Math.min(Math.round(config.warmupEpochs() * stepsPerEpoch), total - 1);
    WarmupCosineSchedule schedule =
        new WarmupCosineSchedule(config.learningRate(), 0f, warmup, total);
    Set<String> noDecay = new HashSet<>();
    for (Pair<String, Parameter> pair : model.getBlock().getParameters()) {
      String name = pair.getKey();
      if (name.endsWith("_gamma") || name.endsWith("_beta") || name.endsWith("_bias")) {
        noDecay.add(pair.getValue().getId());
      }
    }
    OptimizerSettings settings =
        new OptimizerSettings(schedule, config.weightDecay(), noDecay, stepsDone);
    return switch (config.optimizer()) {
      case SGD -> new CheckpointedSgd(settings, config.momentum());
      case ADAM -> new CheckpointedAdam(settings);
    };
  }

  private static void restoreOptimizer(
      Model model, CheckpointedOptimizer optimizer, Path checkpoint) throws IOException {
    Map<String, String> idsByName = new HashMap<>();
    namesById(model).forEach((id, name) -> idsByName.put(name, id));
    NDList saved = CheckpointStore.readOptimizerState(checkpoint, model.getNDManager());
    optimizer.loadState(saved, idsByName, model.getNDManager());
  }

  private static Map<String, String> namesById(Model model) {
    Map<String, String> names = new HashMap<>();
    for (Pair<String, Parameter> pair : model.getBlock().getParameters()) {
      names.put(pair.getValue().getId(), pair.getKey());
    }
    return names;
  }
}
