package io.glimpse.ops.bench;

import java.util.List;

/**
 * What {@code bench engine} measures.
 *
 * @param models the networks, each measured at every batch size
 * @param batches batch sizes
 * @param rounds alternating rounds per model and batch size; each side reports its median
 * @param seconds the least time of one side's round
 * @param device {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto}
 * @param pytorch whether to run PyTorch's side when python3-torch is installed
 */
public record EngineSettings(
    List<EngineModel> models,
    List<Integer> batches,
    int rounds,
    double seconds,
    String device,
    boolean pytorch) {

  /** Checks every setting; the message says what was expected. */
  public EngineSettings {
    models = List.copyOf(models);
    batches = List.copyOf(batches);
    if (models.isEmpty() || batches.isEmpty() || batches.stream().anyMatch(b -> b < 1)) {
      throw new IllegalArgumentException(
          "bench engine needs at least one model and batch sizes >= 1, got " + batches);
    }
    if (rounds < 1 || !(seconds > 0)) {
      throw new IllegalArgumentException(
          "rounds must be >= 1 and seconds > 0, got " + rounds + " and " + seconds);
    }
  }

  /**
   * Settings from the command line's words.
   *
   * @param models {@code α:CxSxS} each, e.g. {@code 0.25:3x64x64}
   * @param classes output classes of every model
   */
  public static EngineSettings of(
      List<String> models,
      int classes,
      List<Integer> batches,
      int rounds,
      double seconds,
      String device,
      boolean pytorch) {
    return new EngineSettings(
        models.stream().map(m -> EngineModel.parse(m, classes)).toList(),
        batches,
        rounds,
        seconds,
        device,
        pytorch);
  }
}
