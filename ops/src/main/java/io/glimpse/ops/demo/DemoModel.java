package io.glimpse.ops.demo;

import io.glimpse.model.files.FileTrees;
import io.glimpse.trainer.OptimizerKind;
import io.glimpse.trainer.ProgressListener;
import io.glimpse.trainer.TrainingConfig;
import io.glimpse.trainer.TrainingException;
import io.glimpse.trainer.TrainingJob;
import io.glimpse.trainer.TrainingResult;
import io.glimpse.trainer.data.Augmentation;
import io.glimpse.trainer.data.DatasetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The model the demo serves: the one the user names, else the demo model trained on an earlier run
 * on the same data, else a quick one trained now (150 batches of MobileNetV1 α=0.5, about half a
 * minute on two cores) and kept under the data directory for the next run. Each data set has its
 * own quick model, so a model is never served with another data set's images and labels.
 */
public final class DemoModel {
  private static final String ARTIFACT = "artifact";
  private static final int QUICK_BATCHES = 150;

  /** The quick model's version. */
  public static final String QUICK_VERSION = "quick-1";

  /** The improved model's version. */
  public static final String IMPROVED_VERSION = "improved-2";

  private DemoModel() {}

  /** Where the quick model for {@code data} lives under the data directory. */
  public static Path quickModelRun(Path dataDir, DemoData data) {
    return dataDir.resolve("models").resolve("demo-quick-" + data.name());
  }

  /** The artifact of the quick model for {@code data}, whether or not it was trained yet. */
  public static Path quickArtifact(Path dataDir, DemoData data) {
    return quickModelRun(dataDir, data).resolve(ARTIFACT);
  }

  /** Where the improved model for {@code data} lives under the data directory. */
  public static Path improvedModelRun(Path dataDir, DemoData data) {
    return dataDir.resolve("models").resolve("demo-improved-" + data.name());
  }

  /** The artifact of the improved model for {@code data}, whether or not it was trained yet. */
  public static Path improvedArtifact(Path dataDir, DemoData data) {
    return improvedModelRun(dataDir, data).resolve(ARTIFACT);
  }

  /** The model name the demo registers and serves for {@code data}. */
  public static String modelName(DemoData data) {
    return "demo-" + data.name();
  }

  /** Whether a quick model for {@code data} was trained on an earlier run. */
  public static boolean exists(Path dataDir, DemoData data) {
    return Files.isDirectory(quickArtifact(dataDir, data));
  }

  /**
   * Trains the quick model for {@code data}.
   *
   * @return the run's result: its artifact directory, test accuracy and wall time
   * @throws DatasetException when the data cannot be read
   * @throws TrainingException when training or writing the artifact fails
   */
  public static TrainingResult trainQuick(Path dataDir, DemoData data, ProgressListener listener)
      throws DatasetException, TrainingException {
    TrainingConfig config =
        TrainingConfig.builder()
            .setDataSource(data.source())
            .setModelName(modelName(data))
            .setVersion(QUICK_VERSION)
            .setOutputDirectory(quickModelRun(dataDir, data))
            .optEpochs(1)
            .optBatchSize(128)
            .optWidthMultiplier(0.5f)
            .optInputSize(32)
            .optChannels(1)
            .optOptimizer(OptimizerKind.SGD)
            // Generated shapes already vary in place, size and colour: crops and flips only slow
            // a run this short (measured, 150 batches on two cores: 55 % test accuracy with them
            // at 0.05, 79 % without at 0.1). Fashion-MNIST keeps its flips and 0.05 (75 %).
            .optLearningRate(data.generated() ? 0.1f : 0.05f)
            .optAugmentation(data.generated() ? Augmentation.NONE : null)
            .optWarmupEpochs(0.1f)
            .optMaxBatchesPerEpoch(QUICK_BATCHES)
            .build();
    return runOffTheMainThread(new TrainingJob(config, listener));
  }

  /**
   * Trains the improved model for {@code data}: the quick one fine-tuned for {@code batches} more
   * batches at a lower learning rate (version {@code improved-2}, parent {@code quick-1}). A run
   * that was cut short earlier is started again from scratch. Interrupting the calling thread stops
   * it.
   *
   * @return the run's result: its artifact directory, test accuracy and wall time
   * @throws DatasetException when the data cannot be read
   * @throws TrainingException when training or writing the artifact fails, or it was interrupted
   */
  public static TrainingResult trainImproved(
      Path dataDir, DemoData data, int batches, ProgressListener listener)
      throws DatasetException, TrainingException {
    Path run = improvedModelRun(dataDir, data);
    deleteRecursively(run);
    TrainingConfig config =
        TrainingConfig.builder()
            .setDataSource(data.source())
            .setModelName(modelName(data))
            .setVersion(IMPROVED_VERSION)
            .setOutputDirectory(run)
            .optFineTuneFrom(quickArtifact(dataDir, data))
            .optEpochs(1)
            .optBatchSize(128)
            .optInputSize(32)
            .optChannels(1)
            .optOptimizer(OptimizerKind.SGD)
            .optLearningRate(data.generated() ? 0.05f : 0.02f)
            .optAugmentation(data.generated() ? Augmentation.NONE : null)
            .optWarmupEpochs(0)
            .optSeed(2)
            .optMaxBatchesPerEpoch(batches)
            .build();
    return runOffTheMainThread(new TrainingJob(config, listener));
  }

  private static void deleteRecursively(Path directory) throws TrainingException {
    try {
      FileTrees.delete(directory);
    } catch (IOException e) {
      throw new TrainingException(
          "Cannot remove the unfinished run " + directory + " (" + e.getMessage() + "); delete it",
          e);
    }
  }

  /**
   * libtorch's OpenMP workers spin-wait; on the JVM's main thread that starved training 30-50x on
   * two cores (measured), so the job runs on a thread of its own.
   */
  private static TrainingResult runOffTheMainThread(TrainingJob job)
      throws DatasetException, TrainingException {
    FutureTask<TrainingResult> task = new FutureTask<>(job::run);
    Thread worker = new Thread(task, "glimpse-demo-training");
    worker.start();
    try {
      return task.get();
    } catch (InterruptedException e) {
      worker.interrupt();
      Thread.currentThread().interrupt();
      throw new TrainingException("Interrupted while training the demo model");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof DatasetException d) {
        throw d;
      }
      if (e.getCause() instanceof TrainingException t) {
        throw t;
      }
      throw new IllegalStateException("Training the demo model failed", e.getCause());
    }
  }
}
