package io.glimpse.ops.bench;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.trainer.TrainingConfig;
import io.glimpse.trainer.data.DataSource;
import io.glimpse.trainer.data.DataSplits;
import io.glimpse.trainer.data.DatasetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code bench train} measures: the default recipe's network and batch (the trainer's own
 * defaults for everything else: optimizer, momentum, weight decay, label smoothing, seed), how many
 * steps, and the worker layouts Glimpse runs in.
 *
 * @param width MobileNet width α
 * @param inputSize input height and width
 * @param channels input channels
 * @param classes output classes
 * @param batchSize images per step
 * @param steps measured steps per side (after the warm-up)
 * @param warmup steps per side left out before measuring
 * @param rounds the measured steps are taken in this many turns per side, so the sides alternate
 * @param layouts Glimpse's worker layouts, each workers × intra-op threads
 * @param breakdown whether to time one worker's step phase by phase as well
 * @param pytorch whether to run PyTorch's side
 */
public record TrainSettings(
    float width,
    int inputSize,
    int channels,
    int classes,
    int batchSize,
    int steps,
    int warmup,
    int rounds,
    List<Layout> layouts,
    boolean breakdown,
    boolean pytorch) {

  /**
   * A way to run Glimpse's step on the machine's cores.
   *
   * @param workers threads sharing each batch ({@code glimpse train --workers})
   * @param threads libtorch's intra-op threads per worker
   */
  public record Layout(int workers, int threads) {
    /** {@code 2x1}. */
    @Override
    public String toString() {
      return workers + "x" + threads;
    }

    /**
     * Parses {@code WxT}, e.g. {@code 2x1}.
     *
     * @param text the layout
     * @return the layout
     * @throws IllegalArgumentException when it is not two positive numbers joined by x
     */
    public static Layout parse(String text) {
      String[] parts = text.strip().toLowerCase(Locale.ROOT).split("x", -1);
      try {
        if (parts.length == 2) {
          Layout layout = new Layout(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
          if (layout.workers() >= 1 && layout.threads() >= 1) {
            return layout;
          }
        }
      } catch (NumberFormatException e) {
        // the message below says what is expected
      }
      throw new IllegalArgumentException(
          "a layout is workers x threads, e.g. 2x1, both at least 1; got " + text);
    }
  }

  /** Checks the ranges; the message names the setting. */
  public TrainSettings {
    require(batchSize >= 2, "--batch-size must be at least 2, got " + batchSize);
    require(steps >= 1, "--steps must be at least 1, got " + steps);
    require(warmup >= 0, "--warmup must be 0 or more, got " + warmup);
    require(rounds >= 1 && rounds <= steps, "--rounds must be in [1, steps], got " + rounds);
    require(!layouts.isEmpty(), "--layouts needs at least one layout");
    for (Layout layout : layouts) {
      require(
          layout.workers() <= batchSize,
          "a layout's workers must not exceed the batch size, got " + layout);
    }
    layouts = List.copyOf(layouts);
    // The recipe's checks (width, input size, channels, classes) fail here, before anything runs.
    recipe(width, inputSize, channels, batchSize, 1, Path.of("."));
  }

  /**
   * The trainer's default layout on this machine and one worker on every core.
   *
   * @param cores the available processors
   * @return {@code cores x 1} and, with more than one core, {@code 1 x cores}
   */
  public static List<Layout> defaultLayouts(int cores) {
    List<Layout> layouts = new ArrayList<>(List.of(new Layout(cores, 1)));
    if (cores > 1) {
      layouts.add(new Layout(1, cores));
    }
    return layouts;
  }

  /** The training configuration {@code glimpse train} would build, with this many workers. */
  TrainingConfig config(int workers, Path output) {
    return recipe(width, inputSize, channels, batchSize, workers, output);
  }

  private static TrainingConfig recipe(
      float width, int inputSize, int channels, int batchSize, int workers, Path output) {
    return TrainingConfig.builder()
        .setDataSource(NO_DATA)
        .setModelName("bench-train")
        .setVersion("1")
        .setOutputDirectory(output)
        .optWidthMultiplier(width)
        .optInputSize(inputSize)
        .optChannels(channels)
        .optBatchSize(batchSize)
        .optWorkers(workers)
        .build();
  }

  InputShape input() {
    return new InputShape(channels, inputSize, inputSize);
  }

  /** The recipe's peak learning rate. */
  float learningRate() {
    return config(1, Path.of(".")).learningRate();
  }

  /** The recipe's momentum. */
  float momentum() {
    return config(1, Path.of(".")).momentum();
  }

  /** The recipe's weight decay. */
  float weightDecay() {
    return config(1, Path.of(".")).weightDecay();
  }

  /** The recipe's label smoothing. */
  float labelSmoothing() {
    return config(1, Path.of(".")).labelSmoothing();
  }

  /** Steps per side in round {@code round} (0-based): the measured steps spread evenly. */
  int stepsInRound(int round) {
    return steps * (round + 1) / rounds - steps * round / rounds;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The benchmark makes its own batches; the configuration's data source is never read. */
  private static final DataSource NO_DATA =
      new DataSource() {
        @Override
        public DataSplits load() throws DatasetException {
          throw new DatasetException("bench train makes its own batches and reads no data set");
        }

        @Override
        public String describe() {
          return "bench train's random batches";
        }
      };
}
