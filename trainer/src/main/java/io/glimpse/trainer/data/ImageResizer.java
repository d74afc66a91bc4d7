package io.glimpse.trainer.data;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.Normalization;
import io.glimpse.model.image.DecodedImage;
import io.glimpse.model.image.ImagePreprocessor;
import java.util.Collections;
import java.util.List;

/**
 * Resizes and converts an image to a fixed size and channel count with the model module's {@link
 * ImagePreprocessor}, so training sees exactly the resampling (bilinear, gray↔RGB by replication or
 * luminance) the pipeline applies when serving. The preprocessor's normalization is set to the
 * identity ({@code mean 0, std 1/255}) and its float output rounded back to 8-bit HWC pixels.
 */
final class ImageResizer {

  private final InputShape shape;
  private final ImagePreprocessor preprocessor;
  private final float[] chw;

  ImageResizer(InputShape shape) {
    this.shape = shape;
    List<Float> zero = Collections.nCopies(shape.channels(), 0f);
    List<Float> identity = Collections.nCopies(shape.channels(), 1f / 255f);
    this.preprocessor = ImagePreprocessor.of(shape, new Normalization(zero, identity));
    this.chw = new float[preprocessor.tensorSize()];
  }

  /** Returns the image's pixels at the target size and channels, HWC. Not thread-safe. */
  byte[] resize(DecodedImage image) {
    preprocessor.writeTensor(image, chw, 0);
    int plane = shape.height() * shape.width();
    int channels = shape.channels();
    byte[] hwc = new byte[chw.length];
    for (int p = 0; p < plane; p++) {
      for (int c = 0; c < channels; c++) {
        int v = Math.round(chw[c * plane + p]);
        hwc[p * channels + c] = (byte) Math.min(255, Math.max(0, v));
      }
    }
    return hwc;
  }
}
