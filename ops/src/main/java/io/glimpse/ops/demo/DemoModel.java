package io.glimpse.ops.demo;

import io.glimpse.trainer.OptimizerKind;
import io.glimpse.trainer.ProgressListener;
import io.glimpse.trainer.TrainingConfig;
import io.glimpse.trainer.TrainingException;
import io.glimpse.trainer.TrainingJob;
import io.glimpse.trainer.TrainingResult;
import io.glimpse.trainer.data.DataSource;
import io.glimpse.trainer.data.DatasetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The model the demo serves: the one the user names, else the demo model trained on an earlier run,
 * else a quick one trained now (150 batches of MobileNetV1 α=0.5 on the demo data, one to a few
 * minutes on two cores) and kept under the data directory for the next run.
 */
public final class DemoModel {
  static final String ARTIFACT = "artifact";
  private static final int QUICK_BATCHES = 150;

  private DemoModel() {}

  /** Where the quick demo model lives under the data directory. */
  public static Path quickModelRun(Path dataDir) {
    return dataDir.resolve("models").resolve("demo-quick");
  }

  /** Whether a quick model was trained on an earlier run. */
  public static boolean exists(Path dataDir) {
    return Files.isDirectory(quickModelRun(dataDir).resolve(ARTIFACT));
  }

  /**
   * Trains the quick model and returns its artifact directory.
   *
   * @throws DatasetException when the data cannot be read
   * @throws TrainingException when training or writing the artifact fails
   */
  public static Path trainQuick(Path dataDir, DataSource data, ProgressListener listener)
      throws DatasetException, TrainingException {
    TrainingConfig config =
        TrainingConfig.builder()
            .setDataSource(data)
            .setModelName("demo")
            .setVersion("quick-1")
            .setOutputDirectory(quickModelRun(dataDir))
            .optEpochs(1)
            .optBatchSize(128)
            .optWidthMultiplier(0.5f)
            .optInputSize(32)
            .optChannels(1)
            .optOptimizer(OptimizerKind.SGD)
            .optLearningRate(0.05f)
            .optWarmupEpochs(0.1f)
            .optMaxBatchesPerEpoch(QUICK_BATCHES)
            .build();
    return runOffTheMainThread(new TrainingJob(config, listener)).artifactDirectory();
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
