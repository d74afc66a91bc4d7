package io.glimpse.trainer.data;

/**
 * Training-time augmentation: a random crop after padding each side (pixels shifted by up to {@code
 * cropPadding} in each direction, the border filled with black), and a random horizontal flip with
 * probability one half. Both suit Fashion-MNIST and CIFAR-10; neither is applied when evaluating.
 *
 * @param cropPadding the largest shift in pixels, 0 for none
 * @param horizontalFlip whether to flip half of the images
 */
public record Augmentation(int cropPadding, boolean horizontalFlip) {

  /** No augmentation. */
  public static final Augmentation NONE = new Augmentation(0, false);

  /** The default: shifts of up to 4 pixels and horizontal flips. */
  public static final Augmentation DEFAULT = new Augmentation(4, true);

  /** Checks the padding. */
  public Augmentation {
    if (cropPadding < 0) {
      throw new IllegalArgumentException("crop padding must be 0 or more, got " + cropPadding);
    }
  }
}
