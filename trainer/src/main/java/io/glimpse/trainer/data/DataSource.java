package io.glimpse.trainer.data;

import java.util.Map;

/**
 * Where a training run's images come from: a reader bound to its location and options, loaded when
 * the run starts. {@link DataSources} makes one for each supported data set.
 */
public interface DataSource {

  /**
   * Reads (or generates) the data set.
   *
   * @return training, validation and (if any) test images
   * @throws DatasetException when the data set is missing or malformed; the message names the path
   */
  DataSplits load() throws DatasetException;

  /**
   * Returns a short description for logs and summaries, e.g. {@code fashion-mnist
   * (/usr/share/datasets/fashion-mnist)}.
   *
   * @return the description
   */
  String describe();

  /**
   * Returns the augmentation that suits these images, used unless the run sets one.
   *
   * @return {@link Augmentation#DEFAULT} unless the data set knows better
   */
  default Augmentation suggestedAugmentation() {
    return Augmentation.DEFAULT;
  }

  /**
   * Returns where exactly the loaded images came from, for {@code metrics.json}: a topic source
   * names its ranges, image counts and digests. Sources whose {@link #describe()} says it all
   * return an empty map.
   *
   * @return JSON-ready values by name; empty unless the source knows more than its description
   */
  default Map<String, Object> provenance() {
    return Map.of();
  }
}
