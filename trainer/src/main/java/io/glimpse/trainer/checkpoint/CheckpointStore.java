package io.glimpse.trainer.checkpoint;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.glimpse.model.files.FileTrees;
import io.glimpse.trainer.optim.WeightAverage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes and reads checkpoints under a root directory: {@code epoch-NNNN/} holding {@code
 * model-0000.params} (current weights, DJL format), {@code best-0000.params} (best weights so far),
 * {@code optimizer.ndlist} and {@code state.json}; a run that averages its weights adds {@code
 * average-0000.params} (the averaged weights, which are then the ones validated, kept as best and
 * exported) and {@code average.ndlist} (the averages, to resume). Each epoch's directory is written
 * under a temporary name and renamed into place, so a crash leaves the previous checkpoint intact;
 * older ones are then removed.
 */
public final class CheckpointStore {

  /** The parameter-file prefix of the current weights. */
  public static final String MODEL_PREFIX = "model";

  /** The parameter-file prefix of the best weights so far. */
  public static final String BEST_PREFIX = "best";

  /** The parameter-file prefix of the averaged weights, in a run that averages them. */
  public static final String AVERAGE_PREFIX = "average";

  static final String OPTIMIZER_FILE = "optimizer.ndlist";
  static final String AVERAGE_FILE = "average.ndlist";
  static final String STATE_FILE = "state.json";
  private static final String PARAMS_SUFFIX = "-0000.params";

  private static final Logger logger = LoggerFactory.getLogger(CheckpointStore.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path root;

  /**
   * Creates a store; the root is created on the first save.
   *
   * @param root the checkpoint directory of a run
   */
  public CheckpointStore(Path root) {
    this.root = root;
  }

  /**
   * Saves one epoch's checkpoint and removes older ones.
   *
   * @param model the model being trained
   * @param optimizerState the optimizer's named state arrays
   * @param state the run's state after the epoch
   * @param previous the run's previous checkpoint (the best weights come from it when this epoch is
   *     not the best), or null for none
   * @param average the run's average of the weights, or null when it keeps none; its weights are
   *     then the epoch's candidate for the best
   * @return the checkpoint's directory
   * @throws IOException when writing fails (the previous checkpoint is then still there)
   */
  public Path save(
      Model model, NDList optimizerState, TrainingState state, Path previous, WeightAverage average)
      throws IOException {
    Files.createDirectories(root);
    Path target = root.resolve(String.format("epoch-%04d", state.epochsDone()));
    Path temp = Files.createTempDirectory(root, ".epoch-tmp-");
    try {
      model.save(temp, MODEL_PREFIX);
      Path evaluated = temp.resolve(MODEL_PREFIX + PARAMS_SUFFIX);
      if (average != null) {
        average.saveAveraged(model, temp, AVERAGE_PREFIX);
        Files.write(temp.resolve(AVERAGE_FILE), average.state().encode());
        evaluated = temp.resolve(AVERAGE_PREFIX + PARAMS_SUFFIX);
      }
      Path best = temp.resolve(BEST_PREFIX + PARAMS_SUFFIX);
      if (state.bestEpoch() == state.epochsDone() || previous == null) {
        Files.copy(evaluated, best);
      } else {
        Files.copy(previous.resolve(BEST_PREFIX + PARAMS_SUFFIX), best);
      }
      Files.write(temp.resolve(OPTIMIZER_FILE), optimizerState.encode());
      JSON.writeValue(temp.resolve(STATE_FILE).toFile(), state);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      temp = null;
    } finally {
      FileTrees.delete(temp);
    }
    removeAllBut(target);
    logger.debug("Saved checkpoint {}", target);
    return target;
  }

  /**
   * Finds the newest complete checkpoint.
   *
   * @param directory a checkpoint root, or one {@code epoch-NNNN} directory
   * @return the checkpoint directory, empty when there is none
   * @throws IOException when the directory cannot be listed
   */
  public static Optional<Path> latest(Path directory) throws IOException {
    if (Files.isRegularFile(directory.resolve(STATE_FILE))) {
      return Optional.of(directory);
    }
    if (!Files.isDirectory(directory)) {
      return Optional.empty();
    }
    try (Stream<Path> entries = Files.list(directory)) {
      return entries
          .filter(p -> p.getFileName().toString().matches("epoch-\\d{4,}"))
          .filter(p -> Files.isRegularFile(p.resolve(STATE_FILE)))
          .max(Comparator.comparing(p -> p.getFileName().toString()));
    }
  }

  /**
   * Reads a checkpoint's state.
   *
   * @param checkpoint an {@code epoch-NNNN} directory
   * @return its state
   * @throws IOException when {@code state.json} is missing or malformed
   */
  public static TrainingState readState(Path checkpoint) throws IOException {
    return JSON.readValue(checkpoint.resolve(STATE_FILE).toFile(), TrainingState.class);
  }

  /**
   * Reads a checkpoint's optimizer state.
   *
   * @param checkpoint an {@code epoch-NNNN} directory
   * @param manager the manager that will own the arrays
   * @return the named arrays
   * @throws IOException when the file is missing or malformed
   */
  public static NDList readOptimizerState(Path checkpoint, NDManager manager) throws IOException {
    return NDList.decode(manager, Files.readAllBytes(checkpoint.resolve(OPTIMIZER_FILE)));
  }

  /**
   * Reads a checkpoint's averaged weights.
   *
   * @param checkpoint an {@code epoch-NNNN} directory
   * @param manager the manager that will own the arrays
   * @return the named arrays, empty when the run kept no average
   * @throws IOException when the file is malformed
   */
  public static Optional<NDList> readAverage(Path checkpoint, NDManager manager)
      throws IOException {
    Path file = checkpoint.resolve(AVERAGE_FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    return Optional.of(NDList.decode(manager, Files.readAllBytes(file)));
  }

  private void removeAllBut(Path keep) throws IOException {
    List<Path> old;
    try (Stream<Path> entries = Files.list(root)) {
      old =
          entries
              .filter(p -> p.getFileName().toString().matches("epoch-\\d{4,}"))
              .filter(p -> !p.equals(keep))
              .toList();
    }
    for (Path dir : old) {
      FileTrees.delete(dir);
    }
  }
}
