package io.glimpse.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.glimpse.trainer.metrics.EpochMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Resuming from a checkpoint continues the run exactly as an uninterrupted one would. */
class ResumeTest {

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} worker(s)")
  @ValueSource(ints = {1, 2})
  void aResumedRunEndsWhereAnUninterruptedRunOfTheSameSeedEnds(int workers) throws Exception {
    TrainingConfigBuilder config = SmokeRuns.synthetic(dir, 3, 4).optWorkers(workers);
    TrainingResult uninterrupted = runInto("a", config);

    TrainingResult resumed = crashAfterEpochTwoAndResume(config);

    assertThat(resumed.history()).hasSize(3);
    EpochMetrics expected = uninterrupted.history().get(2);
    EpochMetrics actual = resumed.history().get(2);
    assertThat(actual.trainLoss()).isCloseTo(expected.trainLoss(), within(1e-4));
    assertThat(actual.validationLoss()).isCloseTo(expected.validationLoss(), within(1e-3));
    assertThat(actual.learningRate()).isEqualTo(expected.learningRate());
    assertThat(resumed.bestEpoch()).isEqualTo(uninterrupted.bestEpoch());
    assertThat(resumed.test().predictions()).isEqualTo(uninterrupted.test().predictions());
  }

  @Test
  void aResumedRunContinuesTheAverageOfTheWeights() throws Exception {
    TrainingConfigBuilder config = SmokeRuns.synthetic(dir, 3, 4).optAverageDecay(0.9f);
    TrainingResult uninterrupted = runInto("a", config);

    TrainingResult resumed = crashAfterEpochTwoAndResume(config);

    assertThat(Files.exists(dir.resolve("b/checkpoints/epoch-0003/average.ndlist"))).isTrue();
    // The exported weights are the average's: they match only if the average was resumed too.
    assertThat(resumed.test().predictions()).isEqualTo(uninterrupted.test().predictions());
    assertThat(Files.readAllBytes(params(resumed)))
        .isEqualTo(Files.readAllBytes(params(uninterrupted)));
  }

  private TrainingResult runInto(String name, TrainingConfigBuilder config) throws Exception {
    return new TrainingJob(
            config.setOutputDirectory(dir.resolve(name)).build(), ProgressListener.NONE)
        .run();
  }

  /** Runs the configuration into {@code dir/b}, crashes it after epoch 2 and resumes it. */
  private TrainingResult crashAfterEpochTwoAndResume(TrainingConfigBuilder config)
      throws Exception {
    Path interruptedDir = dir.resolve("b");
    TrainingConfig interrupted = config.setOutputDirectory(interruptedDir).build();
    assertThatThrownBy(() -> new TrainingJob(interrupted, new CrashAfterEpoch(2)).run())
        .isInstanceOf(CrashAfterEpoch.Crash.class);
    assertThat(Files.exists(interruptedDir.resolve("checkpoints/epoch-0002"))).isTrue();
    return new TrainingJob(
            interrupted.toBuilder().optResumeFrom(interruptedDir.resolve("checkpoints")).build(),
            ProgressListener.NONE)
        .run();
  }

  private static Path params(TrainingResult result) throws IOException {
    try (Stream<Path> files = Files.list(result.artifactDirectory())) {
      return files.filter(p -> p.toString().endsWith(".params")).findFirst().orElseThrow();
    }
  }

  @Test
  void aCheckpointOfAnotherConfigurationIsRefused() throws Exception {
    Path run = dir.resolve("c");
    TrainingConfig config = SmokeRuns.synthetic(run, 2, 2).build();
    assertThatThrownBy(() -> new TrainingJob(config, new CrashAfterEpoch(1)).run())
        .isInstanceOf(CrashAfterEpoch.Crash.class);

    TrainingConfig other =
        config.toBuilder().optLearningRate(0.2f).optResumeFrom(run.resolve("checkpoints")).build();
    assertThatThrownBy(() -> new TrainingJob(other, ProgressListener.NONE).run())
        .isInstanceOf(TrainingException.class)
        .hasMessageContaining("different run")
        .hasMessageContaining("lr=0.2");
  }

  /** Simulates a crash right after an epoch's checkpoint is written. */
  private static final class CrashAfterEpoch implements ProgressListener {
    private final int epoch;

    CrashAfterEpoch(int epoch) {
      this.epoch = epoch;
    }

    @Override
    public void onEpochEnd(EpochMetrics metrics, boolean best) {
      if (metrics.epoch() == epoch) {
        throw new Crash();
      }
    }

    static final class Crash extends RuntimeException {
      private static final long serialVersionUID = 1L;
    }
  }
}
