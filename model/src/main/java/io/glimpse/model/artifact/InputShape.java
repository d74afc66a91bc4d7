package io.glimpse.model.artifact;

import ai.djl.ndarray.types.Shape;
import io.glimpse.model.mobilenet.MobileNetV1;

/**
 * The image shape a model takes, without the batch dimension.
 *
 * @param channels 1 (grayscale) or 3 (RGB)
 * @param height at least {@link MobileNetV1#MIN_INPUT_SIZE}
 * @param width at least {@link MobileNetV1#MIN_INPUT_SIZE}
 */
public record InputShape(int channels, int height, int width) {

  /** Validates the shape against what MobileNetV1 can take. */
  public InputShape {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException(
          "input channels must be 1 (grayscale) or 3 (RGB), got " + channels);
    }
    if (height < MobileNetV1.MIN_INPUT_SIZE || width < MobileNetV1.MIN_INPUT_SIZE) {
      throw new IllegalArgumentException(
          "input height and width must be at least "
              + MobileNetV1.MIN_INPUT_SIZE
              + ", got "
              + height
              + "x"
              + width);
    }
  }

  /**
   * Returns the NCHW shape of a batch of such images.
   *
   * @param batchSize the batch dimension
   * @return {@code (batchSize, channels, height, width)}
   */
  public Shape toBatchShape(long batchSize) {
    return new Shape(batchSize, channels, height, width);
  }
}
