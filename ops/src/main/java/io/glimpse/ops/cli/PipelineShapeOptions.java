package io.glimpse.ops.cli;

import io.glimpse.ops.bench.PipelineShape;
import picocli.CommandLine.Option;

/**
 * The options {@code glimpse bench reload} and {@code glimpse bench scaleout} share, a picocli
 * mixin: the served MobileNet's {@code --width} and {@code --input-size} (each command chooses
 * their defaults), {@code --partitions} and {@code --batch-size}.
 */
final class PipelineShapeOptions {

  @Option(names = "--width", description = "MobileNet width α (default: ${DEFAULT-VALUE}).")
  private float width;

  @Option(
      names = "--input-size",
      description = "Input height and width (default: ${DEFAULT-VALUE}).")
  private int inputSize;

  @Option(
      names = "--partitions",
      defaultValue = "4",
      description = "Partitions of the images topic (default: ${DEFAULT-VALUE}).")
  private int partitions;

  @Option(
      names = "--batch-size",
      defaultValue = "32",
      description = "glimpse.batch.max.size (default: ${DEFAULT-VALUE}).")
  private int batchSize;

  /**
   * Options whose {@code --width} and {@code --input-size} default to these (the field's initial
   * value is picocli's default).
   */
  PipelineShapeOptions(float defaultWidth, int defaultInputSize) {
    this.width = defaultWidth;
    this.inputSize = defaultInputSize;
  }

  /** The shape as given; {@link IllegalArgumentException} names the option to fix. */
  PipelineShape shape() {
    return new PipelineShape(width, inputSize, partitions, batchSize);
  }
}
