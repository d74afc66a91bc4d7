package io.glimpse.ops.publish;

import io.glimpse.schemas.avro.ImageEvent;
import java.nio.file.Path;
import java.util.List;

/**
 * Image files, each checked by the {@link ImageFileReader} when it is published, labelled with the
 * name of its directory when asked ({@code photos/cat/1.jpg}: {@code cat}).
 *
 * @param files the files, in publishing order
 * @param problems what {@link ImageFiles#expand} could not list
 * @param reader reads and checks one file as the pipeline will
 * @param labelled whether each image gets its directory's name as its label
 * @param source the events' source field
 */
public record FileImageSource(
    List<Path> files,
    List<String> problems,
    ImageFileReader reader,
    boolean labelled,
    String source)
    implements ImageSource {

  @Override
  public int count() {
    return files.size();
  }

  @Override
  public ImageEvent event(int index) throws UnreadableImageException {
    Path file = files.get(index);
    Path parent = file.toAbsolutePath().getParent();
    String label =
        labelled && parent != null && parent.getFileName() != null
            ? parent.getFileName().toString()
            : null;
    return ImageEvents.of(reader.read(file), file.toString(), source, label);
  }
}
