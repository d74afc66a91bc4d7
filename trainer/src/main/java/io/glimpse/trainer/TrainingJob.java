package io.glimpse.trainer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import io.glimpse.model.artifact.LoadedModel;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.artifact.ModelArtifactLoader;
import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.model.files.FileTrees;
import io.glimpse.model.inference.Devices;
import io.glimpse.trainer.checkpoint.CheckpointStore;
import io.glimpse.trainer.checkpoint.TrainingState;
import io.glimpse.trainer.data.DatasetException;
import io.glimpse.trainer.data.TrainingDataset;
import io.glimpse.trainer.metrics.ClassificationReport;
import io.glimpse.trainer.optim.SmoothedCrossEntropyLoss;
import io.glimpse.trainer.report.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run: loads the data, builds MobileNetV1 (random, fine-tuned from a parent artifact,
 * or resumed from a checkpoint), trains and validates every epoch, checkpoints, then evaluates the
 * best epoch's weights and writes the artifact, {@code metrics.json} and the plots into the output
 * directory. It owns every DJL object it creates and closes them before returning.
 *
 * <pre>{@code
 * TrainingResult result = new TrainingJob(config, new LoggingProgressListener()).run();
 * }</pre>
 */
public final class TrainingJob {

  private static final Logger logger = LoggerFactory.getLogger(TrainingJob.class);

  private final TrainingConfig config;
  private final ProgressListener listener;

  /**
   * Creates the job; nothing runs until {@link #run()}.
   *
   * @param config the run's settings
   * @param listener hears progress; {@link ProgressListener#NONE} for none
   */
  public TrainingJob(TrainingConfig config, ProgressListener listener) {
    this.config = config;
    this.listener = listener;
  }

  /**
   * Runs the job.
   *
   * @return the history, evaluation and output paths
   * @throws DatasetException when the data set is missing or malformed
   * @throws TrainingException when the run cannot start (artifact exists, bad checkpoint or parent)
   *     or its outputs cannot be written
   */
  public TrainingResult run() throws DatasetException, TrainingException {
    long start = System.nanoTime();
    Path artifact = config.outputDirectory().resolve(RunOutputs.ARTIFACT);
    if (Files.exists(artifact)) {
      throw new TrainingException(
          artifact + " already exists; choose a new output directory or remove the old run");
    }
    Optional<Path> checkpoint = resumeCheckpoint();
    TrainingState resumed = checkpoint.isPresent() ? readState(checkpoint.get()) : null;
    Device device = Devices.parse(config.device());
    logger.info("Training {} on {}", config, device);
    if (config.parentVersion().isPresent()) {
      return fineTuneFromStore(config.parentVersion().get(), device, start);
    }
    if (config.fineTuneFrom().isPresent()) {
      return fineTune(config.fineTuneFrom().get(), null, device, start);
    }
    PreparedRun run = RunPreparation.prepare(config, null, resumed);
    return train(run, null, resumed, checkpoint.orElse(null), device, start);
  }

  /** Fine-tunes from a private copy of the stored version, deleted afterwards. */
  private TrainingResult fineTuneFromStore(ParentVersion parent, Device device, long start)
      throws DatasetException, TrainingException {
    Path workspace;
    try {
      workspace = Files.createTempDirectory("glimpse-parent-");
    } catch (IOException e) {
      throw new TrainingException("cannot create a directory to copy " + parent + " into: " + e, e);
    }
    try {
      return fineTune(parent.fetch(workspace.resolve("artifact")), parent, device, start);
    } finally {
      FileTrees.deleteQuietly(workspace);
    }
  }

  private TrainingResult fineTune(Path artifact, ParentVersion expected, Device device, long start)
      throws DatasetException, TrainingException {
    try (LoadedModel parent = loadParent(artifact, device)) {
      if (expected != null) {
        expected.requireIdentity(parent.getManifest());
      }
      PreparedRun run = RunPreparation.prepare(config, parent.getManifest(), null);
      return train(run, parent, null, null, device, start);
    }
  }

  private TrainingResult train(
      PreparedRun run,
      LoadedModel parent,
      TrainingState resumed,
      Path checkpoint,
      Device device,
      long start)
      throws TrainingException {
    TrainingState state = resumed;
    if (state == null) {
      state =
          TrainingState.initial(
              run.signature(config), run.normalization().mean(), run.normalization().std());
    } else {
      requireSameRun(run, state, checkpoint);
    }
    try (Model model = Model.newInstance(config.modelName(), device, NetworkFactory.ENGINE)) {
      model.setBlock(NetworkFactory.block(run));
      startingWeights(model, run, parent, checkpoint);
      Path last = new TrainingLoop(config, run, listener).train(model, state, checkpoint, device);
      TrainingState done = readState(last);
      listener.onPhase("evaluating the best epoch (" + done.bestEpoch() + ")");
      NetworkFactory.load(model, last, CheckpointStore.BEST_PREFIX);
      return finish(model, run, done, start);
    }
  }

  private void startingWeights(Model model, PreparedRun run, LoadedModel parent, Path checkpoint)
      throws TrainingException {
    if (checkpoint != null) {
      NetworkFactory.load(model, checkpoint, CheckpointStore.MODEL_PREFIX);
      return;
    }
    NetworkFactory.initialize(model, run, config.seed());
    if (parent != null) {
      NetworkFactory.copyFromParent(model, parent.getModel().getBlock());
    }
  }

  private TrainingResult finish(Model model, PreparedRun run, TrainingState state, long start)
      throws TrainingException {
    ClassificationReport validation = evaluate(model, run.validation());
    ClassificationReport test = run.test() == null ? null : evaluate(model, run.test());
    listener.onPhase("writing the artifact and reports");
    RunOutputs outputs = new RunOutputs(config, run);
    ModelManifest manifest = outputs.writeArtifact(model, state, validation, test);
    double wall = (System.nanoTime() - start) / 1e9;
    RunReport report = outputs.report(state, validation, test, wall);
    List<Path> plots = outputs.writeReports(report);
    logger.info(
        "Trained {} v{}: best epoch {}, validation accuracy {}, test accuracy {}",
        config.modelName(),
        config.version(),
        state.bestEpoch(),
        validation.accuracy(),
        test == null ? "n/a" : test.accuracy());
    return new TrainingResult(
        state.history(),
        state.bestEpoch(),
        validation,
        test,
        Duration.ofNanos(System.nanoTime() - start),
        config.outputDirectory().resolve(RunOutputs.ARTIFACT),
        manifest,
        config.outputDirectory().resolve(RunOutputs.METRICS),
        plots);
  }

  /** The bare block's inference forward pass; outputs belong to each batch's manager. */
  private ClassificationReport evaluate(Model model, TrainingDataset data) {
    SmoothedCrossEntropyLoss loss =
        new SmoothedCrossEntropyLoss(data.images().classes().size(), config.labelSmoothing());
    return ModelEvaluation.evaluate(
        data,
        model.getNDManager(),
        (NDList x) ->
            model.getBlock().forward(new ParameterStore(x.head().getManager(), false), x, false),
        loss);
  }

  private Optional<Path> resumeCheckpoint() throws TrainingException {
    if (config.resumeFrom().isEmpty()) {
      return Optional.empty();
    }
    Path from = config.resumeFrom().get();
    try {
      Optional<Path> found = CheckpointStore.latest(from);
      if (found.isEmpty()) {
        throw new TrainingException(
            "no checkpoint in "
                + from
                + "; pass a run's checkpoints/ directory or one epoch-NNNN directory in it");
      }
      return found;
    } catch (IOException e) {
      throw new TrainingException("cannot read checkpoint directory " + from + ": " + e, e);
    }
  }

  private static TrainingState readState(Path checkpoint) throws TrainingException {
    try {
      return CheckpointStore.readState(checkpoint);
    } catch (IOException e) {
      throw new TrainingException(
          "cannot read the state of checkpoint " + checkpoint + ": " + e.getMessage(), e);
    }
  }

  private void requireSameRun(PreparedRun run, TrainingState state, Path checkpoint)
      throws TrainingException {
    String signature = run.signature(config);
    if (!signature.equals(state.signature())) {
      throw new TrainingException(
          "checkpoint "
              + checkpoint
              + " was written by a different run ("
              + state.signature()
              + "); this run is ("
              + signature
              + "). Resume with the same settings, or start a fresh run");
    }
  }

  private static LoadedModel loadParent(Path artifact, Device device) throws TrainingException {
    try {
      return ModelArtifactLoader.builder().optDevice(device).build().load(artifact);
    } catch (ModelArtifactException e) {
      throw new TrainingException("cannot fine-tune from " + artifact + ": " + e.getMessage(), e);
    }
  }
}
