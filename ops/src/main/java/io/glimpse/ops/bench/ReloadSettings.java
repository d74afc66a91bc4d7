package io.glimpse.ops.bench;

import io.glimpse.model.artifact.InputShape;

/**
 * What {@code glimpse bench reload} measures.
 *
 * @param widthMultiplier MobileNet α of both versions
 * @param inputSize their input height and width
 * @param probeImages records published first to measure the drain rate, from which the backlog is
 *     sized ({@link ReloadBacklog})
 * @param badFraction the share of poison records mixed in (the unhappy path)
 * @param instances pipeline instances sharing one application id
 * @param partitions partitions of the images topic
 * @param batchSize {@code glimpse.batch.max.size}
 * @param steadySeconds how long the steady rate is measured before the promote
 */
public record ReloadSettings(
    float widthMultiplier,
    int inputSize,
    int probeImages,
    double badFraction,
    int instances,
    int partitions,
    int batchSize,
    int steadySeconds) {

  /** Validates; the message names the option to fix. */
  public ReloadSettings {
    require(widthMultiplier > 0 && widthMultiplier <= 1, "--width must be in (0, 1]");
    new InputShape(3, inputSize, inputSize); // MobileNetV1's own limits
    require(probeImages >= 1000, "--probe-images must be at least 1000");
    require(badFraction >= 0 && badFraction <= 0.5, "--bad-fraction must be in [0, 0.5]");
    require(instances >= 1 && instances <= 8, "--instances must be in [1, 8]");
    require(partitions >= instances, "--partitions must be at least --instances");
    require(batchSize >= 1, "--batch-size must be at least 1");
    require(steadySeconds >= 2, "--steady-seconds must be at least 2");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The models' input shape (RGB). */
  public InputShape inputShape() {
    return new InputShape(3, inputSize, inputSize);
  }
}
