package io.glimpse.trainer.data;

import java.util.List;

/**
 * An {@link ImageDataset} held in one byte array: image {@code i} is the {@link #imageBytes()}
 * bytes at {@code i * imageBytes()}. Every reader in this package produces one. Fashion-MNIST's 70k
 * images take 55 MB, CIFAR-10's 60k take 184 MB.
 */
public final class InMemoryImageDataset implements ImageDataset {

  private final List<String> classes;
  private final int channels;
  private final int height;
  private final int width;
  private final byte[] pixels;
  private final int[] labels;

  /**
   * Creates a data set over the given arrays, which are not copied: hand them over.
   *
   * @param classes the class names
   * @param channels 1 or 3
   * @param height image height, positive
   * @param width image width, positive
   * @param pixels {@code labels.length} images of {@code height * width * channels} HWC bytes
   * @param labels one label per image, each an index into {@code classes}
   * @throws IllegalArgumentException when the sizes disagree or a label is out of range
   */
  public InMemoryImageDataset(
      List<String> classes, int channels, int height, int width, byte[] pixels, int[] labels) {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("images need 1 or 3 channels, got " + channels);
    }
    if (height < 1 || width < 1 || classes.isEmpty()) {
      throw new IllegalArgumentException(
          "need a positive image size and at least one class, got "
              + height
              + "x"
              + width
              + " and "
              + classes.size()
              + " classes");
    }
    long expected = (long) labels.length * height * width * channels;
    if (pixels.length != expected) {
      throw new IllegalArgumentException(
          labels.length + " images need " + expected + " pixel bytes, got " + pixels.length);
    }
    for (int label : labels) {
      if (label < 0 || label >= classes.size()) {
        throw new IllegalArgumentException(
            "label " + label + " is not an index into " + classes.size() + " classes");
      }
    }
    this.classes = List.copyOf(classes);
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.pixels = pixels;
    this.labels = labels;
  }

  /**
   * Copies any data set into memory.
   *
   * @param source the data set
   * @return an in-memory copy (or {@code source} itself when it already is one)
   */
  public static InMemoryImageDataset copyOf(ImageDataset source) {
    if (source instanceof InMemoryImageDataset inMemory) {
      return inMemory;
    }
    int[] all = new int[source.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return subset(source, all);
  }

  /**
   * Returns the images at the given indices of a data set, in that order, copied into memory.
   *
   * @param source the data set
   * @param indices indices into {@code source}; repeats are allowed
   * @return the subset
   */
  public static InMemoryImageDataset subset(ImageDataset source, int[] indices) {
    int bytes = source.imageBytes();
    byte[] pixels = new byte[Math.multiplyExact(indices.length, bytes)];
    int[] labels = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      source.copyPixels(indices[i], pixels, i * bytes);
      labels[i] = source.label(indices[i]);
    }
    return new InMemoryImageDataset(
        source.classes(), source.channels(), source.height(), source.width(), pixels, labels);
  }

  /**
   * Returns a copy of a data set whose labels index another class list, such as a parent model's
   * labels in the parent's order.
   *
   * @param source the data set
   * @param classes the new class list; it must name every class of {@code source}
   * @return the same images with the same class names, indexed into {@code classes}
   * @throws IllegalArgumentException when a class of {@code source} is not in {@code classes}
   */
  public static InMemoryImageDataset relabelled(ImageDataset source, List<String> classes) {
    InMemoryImageDataset copy = copyOf(source);
    int[] labels = new int[copy.size()];
    for (int i = 0; i < labels.length; i++) {
      String name = source.classes().get(copy.label(i));
      labels[i] = classes.indexOf(name);
      if (labels[i] < 0) {
        throw new IllegalArgumentException("class " + name + " is not one of " + classes);
      }
    }
    return new InMemoryImageDataset(
        classes, copy.channels, copy.height, copy.width, copy.pixels, labels);
  }

  @Override
  public List<String> classes() {
    return classes;
  }

  @Override
  public int size() {
    return labels.length;
  }

  @Override
  public int channels() {
    return channels;
  }

  @Override
  public int height() {
    return height;
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public int label(int index) {
    return labels[index];
  }

  @Override
  public void copyPixels(int index, byte[] dest, int offset) {
    int bytes = imageBytes();
    System.arraycopy(pixels, index * bytes, dest, offset, bytes);
  }

  @Override
  public String toString() {
    return "ImageDataset{"
        + labels.length
        + " images of "
        + width
        + "x"
        + height
        + "x"
        + channels
        + ", "
        + classes.size()
        + " classes}";
  }
}
