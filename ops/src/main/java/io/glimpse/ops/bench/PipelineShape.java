package io.glimpse.ops.bench;

import io.glimpse.model.artifact.InputShape;

/**
 * The model and pipeline shape that {@code glimpse bench reload} and {@code glimpse bench scaleout}
 * share: the served MobileNet versions, the images topic's partitions and the batch size.
 *
 * @param widthMultiplier MobileNet α of the served versions
 * @param inputSize their input height and width
 * @param partitions partitions of the images topic
 * @param batchSize {@code glimpse.batch.max.size}
 */
public record PipelineShape(float widthMultiplier, int inputSize, int partitions, int batchSize) {

  /** Validates; the message names the option to fix. */
  public PipelineShape {
    if (!(widthMultiplier > 0 && widthMultiplier <= 1)) {
      throw new IllegalArgumentException("--width must be in (0, 1]");
    }
    new InputShape(3, inputSize, inputSize); // MobileNetV1's own limits
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch-size must be at least 1");
    }
  }

  /** The models' input shape (RGB). */
  public InputShape inputShape() {
    return new InputShape(3, inputSize, inputSize);
  }

  /** The served model as reports name it, e.g. {@code mobilenet_v1 alpha=0.25 3x64x64}. */
  public String modelDescription() {
    return "mobilenet_v1 alpha=" + widthMultiplier + " 3x" + inputSize + "x" + inputSize;
  }
}
