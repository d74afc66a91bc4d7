package io.glimpse.trainer.data;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.image.DecodedImage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers decoded images of any size into one {@link InMemoryImageDataset}. While every image has
 * the first one's size and channels (1 or 3), no larger than the network's input, the images are
 * kept as they are, like a file reader keeps Fashion-MNIST's 28×28: the run then fits them as it
 * fits a file's images (and evaluates them as the pipeline serves them). Otherwise every image is
 * resized to the input shape on arrival, as {@link ImageFolder} does, which also bounds the memory
 * a stream of large photos takes. Not thread-safe.
 */
final class ImageAccumulator {

  private final InputShape input;
  private final ByteArrayOutputStream pixels = new ByteArrayOutputStream();
  private final List<String> labels = new ArrayList<>();
  private ImageResizer resizer;
  private int width;
  private int height;
  private int channels;

  /**
   * @param input the network's input shape, what images of mixed or large sizes are resized to
   */
  ImageAccumulator(InputShape input) {
    this.input = input;
  }

  /** Adds one image with its label. */
  void add(DecodedImage image, String label) {
    if (labels.isEmpty()) {
      if (keepsAsItIs(image)) {
        width = image.width();
        height = image.height();
        channels = image.channels();
      } else {
        resizeFromNowOn();
      }
    } else if (resizer == null && !sameShape(image)) {
      resizeEverything();
    }
    pixels.writeBytes(resizer == null ? image.pixels() : resizer.resize(image));
    labels.add(label);
  }

  /** How many images were added. */
  int size() {
    return labels.size();
  }

  /**
   * Returns the images with their labels as indices into {@code classes}.
   *
   * @param classes the class names; every label added must be one of them
   * @return the data set, images in the order they were added
   */
  InMemoryImageDataset build(List<String> classes) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      index.put(classes.get(i), i);
    }
    int[] labelIndices = labels.stream().mapToInt(index::get).toArray();
    return new InMemoryImageDataset(
        classes, channels, height, width, pixels.toByteArray(), labelIndices);
  }

  private boolean keepsAsItIs(DecodedImage image) {
    return image.channels() != 4
        && image.width() <= input.width()
        && image.height() <= input.height();
  }

  private boolean sameShape(DecodedImage image) {
    return image.width() == width && image.height() == height && image.channels() == channels;
  }

  private void resizeFromNowOn() {
    resizer = new ImageResizer(input);
    width = input.width();
    height = input.height();
    channels = input.channels();
  }

  /** The images so far were kept as they were; a different one came: resize them all. */
  private void resizeEverything() {
    byte[] kept = pixels.toByteArray();
    int bytes = width * height * channels;
    int oldWidth = width;
    int oldHeight = height;
    int oldChannels = channels;
    pixels.reset();
    resizeFromNowOn();
    for (int offset = 0; offset < kept.length; offset += bytes) {
      byte[] one = Arrays.copyOfRange(kept, offset, offset + bytes);
      pixels.writeBytes(resizer.resize(new DecodedImage(oldWidth, oldHeight, oldChannels, one)));
    }
  }
}
