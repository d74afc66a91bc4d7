package io.glimpse.trainer.data;

/** How images of another size are brought to the network's input size. */
public enum FitMode {
  /**
   * Centre smaller images on a black canvas (Fashion-MNIST's 28×28 become 32×32 with a 2-pixel
   * border); images larger than the input are resized. Only for clients that pad the same way
   * before sending: the pipeline resizes, and a padded-trained Fashion-MNIST model that scored 90.5
   * % on padded test images scored 78.3 % on the same images resized by the pipeline.
   */
  PAD,
  /** Resize bilinearly, as the pipeline does to every image it serves: the default. */
  RESIZE
}
