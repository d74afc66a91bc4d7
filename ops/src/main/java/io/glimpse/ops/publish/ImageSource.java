package io.glimpse.ops.publish;

import io.glimpse.schemas.avro.ImageEvent;
import java.util.List;

/** What {@code glimpse publish} sends: a count, problems found up front, and the events in turn. */
public interface ImageSource {

  /** How many events there are. */
  int count();

  /** Problems found while listing the images (unreadable directories, empty globs). */
  List<String> problems();

  /**
   * The event of image {@code index}, read when asked.
   *
   * @throws UnreadableImageException when that file cannot be published; the rest can
   */
  ImageEvent event(int index) throws UnreadableImageException;
}
