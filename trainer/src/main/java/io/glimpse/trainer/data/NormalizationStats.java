package io.glimpse.trainer.data;

import io.glimpse.model.artifact.Normalization;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes the per-channel mean and standard deviation of a data set's pixels (on the 0–1 scale),
 * the normalization a model is trained with and its manifest records for serving.
 */
public final class NormalizationStats {

  /** Below this a channel is treated as constant; dividing by a smaller std would blow it up. */
  private static final double MIN_STD = 1e-3;

  private NormalizationStats() {}

  /**
   * Measures a data set.
   *
   * @param data the (fitted) training images
   * @return mean and std per channel
   */
  public static Normalization of(ImageDataset data) {
    int channels = data.channels();
    double[] sum = new double[channels];
    double[] sumSquares = new double[channels];
    byte[] image = new byte[data.imageBytes()];
    for (int i = 0; i < data.size(); i++) {
      data.copyPixels(i, image, 0);
      for (int p = 0; p < image.length; p++) {
        double v = (image[p] & 0xff) / 255.0;
        sum[p % channels] += v;
        sumSquares[p % channels] += v * v;
      }
    }
    double n = (double) data.size() * data.height() * data.width();
    List<Float> mean = new ArrayList<>();
    List<Float> std = new ArrayList<>();
    for (int c = 0; c < channels; c++) {
      double m = sum[c] / n;
      double variance = Math.max(0, sumSquares[c] / n - m * m);
      mean.add((float) m);
      std.add((float) Math.max(MIN_STD, Math.sqrt(variance)));
    }
    return new Normalization(mean, std);
  }
}
