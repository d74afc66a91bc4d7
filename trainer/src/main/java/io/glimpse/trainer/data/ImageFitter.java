package io.glimpse.trainer.data;

import io.glimpse.model.artifact.InputShape;

/**
 * Brings a data set to the network's input shape once, before training: channel conversion and
 * resizing through {@link ImageResizer} (the serving path's resampling), or centring on a black
 * canvas ({@link FitMode#PAD}). A data set that already has the shape is returned as it is.
 */
public final class ImageFitter {

  private ImageFitter() {}

  /**
   * Fits every image of {@code source} to {@code shape}.
   *
   * @param source the images
   * @param shape the network's input: channels, height, width
   * @param mode pad or resize
   * @return the fitted images, in memory
   */
  public static ImageDataset fit(ImageDataset source, InputShape shape, FitMode mode) {
    boolean sameChannels = source.channels() == shape.channels();
    boolean sameSize = source.height() == shape.height() && source.width() == shape.width();
    if (sameChannels && sameSize) {
      return source;
    }
    if (resizes(source, shape, mode)) {
      return resize(source, shape);
    }
    ImageDataset converted =
        sameChannels
            ? source
            : resize(source, new InputShape(shape.channels(), source.height(), source.width()));
    return pad(converted, shape);
  }

  /**
   * Whether {@link #fit} resamples these images, as the pipeline resamples what it serves (rather
   * than leaving them as they are or padding them).
   *
   * @param source the images
   * @param shape the network's input
   * @param mode pad or resize
   * @return true when the images are resized or converted the serving way
   */
  public static boolean resizes(ImageDataset source, InputShape shape, FitMode mode) {
    boolean sameChannels = source.channels() == shape.channels();
    boolean sameSize = source.height() == shape.height() && source.width() == shape.width();
    boolean pad =
        mode == FitMode.PAD && source.height() <= shape.height() && source.width() <= shape.width();
    return !(sameChannels && sameSize) && !pad;
  }

  private static InMemoryImageDataset resize(ImageDataset source, InputShape shape) {
    ImageResizer resizer = new ImageResizer(shape);
    int bytes = shape.channels() * shape.height() * shape.width();
    byte[] pixels = new byte[Math.multiplyExact(source.size(), bytes)];
    int[] labels = new int[source.size()];
    for (int i = 0; i < source.size(); i++) {
      System.arraycopy(resizer.resize(source.image(i)), 0, pixels, i * bytes, bytes);
      labels[i] = source.label(i);
    }
    return new InMemoryImageDataset(
        source.classes(), shape.channels(), shape.height(), shape.width(), pixels, labels);
  }

  private static InMemoryImageDataset pad(ImageDataset source, InputShape shape) {
    int c = shape.channels();
    int top = (shape.height() - source.height()) / 2;
    int left = (shape.width() - source.width()) / 2;
    int bytes = c * shape.height() * shape.width();
    int rowBytes = source.width() * c;
    byte[] image = new byte[source.imageBytes()];
    byte[] pixels = new byte[Math.multiplyExact(source.size(), bytes)];
    int[] labels = new int[source.size()];
    for (int i = 0; i < source.size(); i++) {
      source.copyPixels(i, image, 0);
      for (int y = 0; y < source.height(); y++) {
        int to = i * bytes + ((top + y) * shape.width() + left) * c;
        System.arraycopy(image, y * rowBytes, pixels, to, rowBytes);
      }
      labels[i] = source.label(i);
    }
    return new InMemoryImageDataset(
        source.classes(), c, shape.height(), shape.width(), pixels, labels);
  }
}
