package io.glimpse.ops.bench;

import io.glimpse.model.artifact.InputShape;

/**
 * What {@code glimpse bench scaleout} measures.
 *
 * @param widthMultiplier MobileNet α of the served versions
 * @param inputSize their input height and width
 * @param partitions partitions of the images topic: the most instances that can share the work
 * @param batchSize {@code glimpse.batch.max.size}
 * @param phaseSeconds how long each measured phase lasts
 * @param badFraction the share of poison records mixed in throughout
 * @param backlog records kept waiting in the saturated phases
 */
public record ScaleOutSettings(
    float widthMultiplier,
    int inputSize,
    int partitions,
    int batchSize,
    int phaseSeconds,
    double badFraction,
    int backlog) {

  /** Validates; the message names the option to fix. */
  public ScaleOutSettings {
    require(widthMultiplier > 0 && widthMultiplier <= 1, "--width must be in (0, 1]");
    new InputShape(3, inputSize, inputSize); // MobileNetV1's own limits
    require(partitions >= 2, "--partitions must be at least 2 (two processes share them)");
    require(batchSize >= 1, "--batch-size must be at least 1");
    require(phaseSeconds >= 5, "--phase-seconds must be at least 5");
    require(badFraction >= 0 && badFraction <= 0.5, "--bad-fraction must be in [0, 0.5]");
    require(backlog >= batchSize, "--backlog must be at least --batch-size");
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
