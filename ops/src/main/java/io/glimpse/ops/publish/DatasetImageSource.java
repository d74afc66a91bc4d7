package io.glimpse.ops.publish;

import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.trainer.data.ImageDataset;
import java.util.List;
import java.util.Locale;

/**
 * A data set's images as raw-pixel events with their labels, ids {@code <name>-<run>-<index>}.
 *
 * @param data the images
 * @param name the data set's name, for ids and messages
 * @param limit at most this many; 0 for all
 * @param source the events' source field
 * @param run this publish's tag, so that two runs' ids differ
 */
public record DatasetImageSource(
    ImageDataset data, String name, int limit, String source, String run) implements ImageSource {

  /** A source tagged with a fresh run tag. */
  public DatasetImageSource(ImageDataset data, String name, int limit, String source) {
    this(data, name, limit, source, ImageEvents.runTag());
  }

  @Override
  public int count() {
    return limit > 0 ? Math.min(limit, data.size()) : data.size();
  }

  @Override
  public List<String> problems() {
    return List.of();
  }

  @Override
  public ImageEvent event(int index) {
    String id = String.format(Locale.ROOT, "%s-%s-%06d", name, run, index);
    return ImageEvents.raw(data, index, id, source);
  }
}
