package io.glimpse.ops.bench;

/**
 * What {@code glimpse bench scaleout} measures.
 *
 * @param shape the served versions' width and input size, the topic's partitions (the most
 *     instances that can share the work) and the batch size
 * @param phaseSeconds how long each measured phase lasts
 * @param badFraction the share of poison records mixed in throughout
 * @param backlog records kept waiting in the saturated phases
 */
public record ScaleOutSettings(
    PipelineShape shape, int phaseSeconds, double badFraction, int backlog) {

  /** Validates; the message names the option to fix. */
  public ScaleOutSettings {
    require(shape.partitions() >= 2, "--partitions must be at least 2 (two processes share them)");
    require(phaseSeconds >= 5, "--phase-seconds must be at least 5");
    require(badFraction >= 0 && badFraction <= 0.5, "--bad-fraction must be in [0, 0.5]");
    require(backlog >= shape.batchSize(), "--backlog must be at least --batch-size");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
