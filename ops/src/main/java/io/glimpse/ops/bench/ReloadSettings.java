package io.glimpse.ops.bench;

/**
 * What {@code glimpse bench reload} measures.
 *
 * @param shape both versions' width and input size, the topic's partitions and the batch size
 * @param probeImages records published first to measure the drain rate, from which the backlog is
 *     sized ({@link ReloadBacklog})
 * @param badFraction the share of poison records mixed in (the unhappy path)
 * @param instances pipeline instances sharing one application id
 * @param steadySeconds how long the steady rate is measured before the promote
 */
public record ReloadSettings(
    PipelineShape shape, int probeImages, double badFraction, int instances, int steadySeconds) {

  /** Validates; the message names the option to fix. */
  public ReloadSettings {
    require(probeImages >= 1000, "--probe-images must be at least 1000");
    require(badFraction >= 0 && badFraction <= 0.5, "--bad-fraction must be in [0, 0.5]");
    require(instances >= 1 && instances <= 8, "--instances must be in [1, 8]");
    require(shape.partitions() >= instances, "--partitions must be at least --instances");
    require(steadySeconds >= 2, "--steady-seconds must be at least 2");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
