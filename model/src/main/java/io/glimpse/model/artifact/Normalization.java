package io.glimpse.model.artifact;

import java.util.List;

/**
 * Per-channel input normalization the model was trained with: {@code (pixel / 255 - mean) / std}.
 *
 * @param mean one value per channel
 * @param std one positive value per channel
 */
public record Normalization(List<Float> mean, List<Float> std) {

  /** Copies the lists and checks they are complete, finite, and std is positive. */
  public Normalization {
    mean = List.copyOf(mean);
    std = List.copyOf(std);
    if (mean.isEmpty() || mean.size() != std.size()) {
      throw new IllegalArgumentException(
          "normalization needs one mean and one std per channel, got "
              + mean.size()
              + " mean and "
              + std.size()
              + " std values");
    }
    for (int i = 0; i < mean.size(); i++) {
      if (!Float.isFinite(mean.get(i)) || !(std.get(i) > 0f) || !Float.isFinite(std.get(i))) {
        throw new IllegalArgumentException(
            "normalization channel "
                + i
                + " needs a finite mean and a positive finite std, got mean "
                + mean.get(i)
                + ", std "
                + std.get(i));
      }
    }
  }

  /**
   * Returns the number of channels described.
   *
   * @return the length of {@link #mean()}
   */
  public int channels() {
    return mean.size();
  }
}
