package io.glimpse.trainer.data;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.image.ContentTypes;
import io.glimpse.model.image.DecodedImage;
import io.glimpse.model.image.ImageDecoder;
import io.glimpse.model.image.ImageRejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Images in a directory with one subdirectory per class, the layout of torchvision's and DJL's
 * {@code ImageFolder}: {@code root/cat/001.jpg}, {@code root/dog/xyz.png}. Classes are the
 * subdirectory names in sorted order; JPEG and PNG files are decoded with the model module's {@link
 * ImageDecoder} and resized (bilinear) to one size with {@link ImageResizer}, the same resampling
 * the pipeline applies when serving. A stratified share is held out for validation; there is no
 * test set.
 */
public final class ImageFolder implements DataSource {

  private final DatasetOptions options;
  private final InputShape shape;
  private final ImageDecoder decoder = ImageDecoder.builder().build();

  private ImageFolder(DatasetOptions options, InputShape shape) {
    this.options = options;
    this.shape = shape;
  }

  /**
   * Returns the data source; nothing is read until {@link #load()}.
   *
   * @param options directory (required), limit (images per class), validation split
   * @param shape the channels and size every image is converted to
   * @return the source
   */
  public static ImageFolder source(DatasetOptions options, InputShape shape) {
    return new ImageFolder(options, shape);
  }

  @Override
  public DataSplits load() throws DatasetException {
    Path root = options.directory();
    List<Path> classDirs = classDirectories(root);
    List<String> classes = classDirs.stream().map(d -> d.getFileName().toString()).toList();
    ImageResizer resizer = new ImageResizer(shape);
    List<Integer> labels = new ArrayList<>();
    java.io.ByteArrayOutputStream pixels = new java.io.ByteArrayOutputStream();
    for (int label = 0; label < classDirs.size(); label++) {
      for (Path file : imageFiles(classDirs.get(label))) {
        pixels.writeBytes(resizer.resize(decode(file)));
        labels.add(label);
      }
    }
    InMemoryImageDataset all =
        new InMemoryImageDataset(
            classes,
            shape.channels(),
            shape.height(),
            shape.width(),
            pixels.toByteArray(),
            labels.stream().mapToInt(Integer::intValue).toArray());
    InMemoryImageDataset[] parts =
        StratifiedSplit.split(all, options.validationFraction(), options.seed());
    return new DataSplits(parts[0], parts[1], null);
  }

  @Override
  public String describe() {
    return "folder (" + options.directory() + ")";
  }

  private static List<Path> classDirectories(Path root) throws DatasetException {
    if (root == null || !Files.isDirectory(root)) {
      throw new DatasetException(
          "image folder "
              + root
              + " does not exist; pass --data-dir with one subdirectory per class"
              + " (root/<class>/<image>.jpg|png)");
    }
    List<Path> dirs = list(root).stream().filter(Files::isDirectory).sorted().toList();
    if (dirs.size() < 2) {
      throw new DatasetException(
          "image folder "
              + root
              + " has "
              + dirs.size()
              + " class subdirectories; a classifier needs at least 2 (root/<class>/<image>)");
    }
    return dirs;
  }

  private List<Path> imageFiles(Path classDir) throws DatasetException {
    List<Path> files = list(classDir).stream().filter(ImageFolder::isImage).sorted().toList();
    if (files.isEmpty()) {
      throw new DatasetException(
          "class directory " + classDir + " holds no .jpg, .jpeg or .png files; add images");
    }
    int limit = options.limit();
    return limit > 0 && files.size() > limit ? files.subList(0, limit) : files;
  }

  private static boolean isImage(Path file) {
    return contentType(file) != null && Files.isRegularFile(file);
  }

  private static String contentType(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".png")) {
      return ContentTypes.PNG;
    }
    return name.endsWith(".jpg") || name.endsWith(".jpeg") ? ContentTypes.JPEG : null;
  }

  private DecodedImage decode(Path file) throws DatasetException {
    try {
      return decoder.decode(contentType(file), Files.readAllBytes(file), null, null, null);
    } catch (ImageRejectedException e) {
      throw new DatasetException(
          "cannot use image " + file + ": " + e.getMessage() + "; fix or remove it", e);
    } catch (IOException e) {
      throw new DatasetException("cannot read " + file + ": " + e, e);
    }
  }

  private static List<Path> list(Path dir) throws DatasetException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.toList();
    } catch (IOException e) {
      throw new DatasetException("cannot list " + dir + ": " + e, e);
    }
  }
}
