package io.glimpse.trainer.data;

/** How images of another size are brought to the network's input size. */
public enum FitMode {
  /**
   * Centre smaller images on a black canvas (Fashion-MNIST's 28×28 become 32×32 with a 2-pixel
   * border, the usual recipe); images larger than the input are resized.
   */
  PAD,
  /** Resize bilinearly, as the pipeline does to every image it serves. */
  RESIZE
}
