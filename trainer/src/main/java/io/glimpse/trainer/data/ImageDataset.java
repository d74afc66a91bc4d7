package io.glimpse.trainer.data;

import io.glimpse.model.image.DecodedImage;
import java.util.List;

/**
 * A labelled set of images of one size: 8-bit pixels, rows top to bottom, channels interleaved
 * (HWC), as {@link DecodedImage} holds them. Images are addressed by index; implementations are
 * immutable and safe to read from several threads.
 */
public interface ImageDataset {

  /**
   * Returns the class names; a label is an index into this list.
   *
   * @return the class names in label order
   */
  List<String> classes();

  /**
   * Returns the number of images.
   *
   * @return the size
   */
  int size();

  /**
   * Returns the number of interleaved channels of every image.
   *
   * @return 1 (gray) or 3 (RGB)
   */
  int channels();

  /**
   * Returns the height of every image.
   *
   * @return the height in pixels
   */
  int height();

  /**
   * Returns the width of every image.
   *
   * @return the width in pixels
   */
  int width();

  /**
   * Returns the label of an image.
   *
   * @param index 0 to {@code size() - 1}
   * @return an index into {@link #classes()}
   */
  int label(int index);

  /**
   * Copies one image's {@link #imageBytes()} HWC pixels into {@code dest} at {@code offset}.
   *
   * @param index 0 to {@code size() - 1}
   * @param dest the destination
   * @param offset where the pixels start in {@code dest}
   */
  void copyPixels(int index, byte[] dest, int offset);

  /**
   * Returns how many bytes one image takes: height × width × channels.
   *
   * @return the bytes per image
   */
  default int imageBytes() {
    return height() * width() * channels();
  }

  /**
   * Returns one image as a {@link DecodedImage} over a fresh copy of its pixels.
   *
   * @param index 0 to {@code size() - 1}
   * @return the image
   */
  default DecodedImage image(int index) {
    byte[] pixels = new byte[imageBytes()];
    copyPixels(index, pixels, 0);
    return new DecodedImage(width(), height(), channels(), pixels);
  }
}
