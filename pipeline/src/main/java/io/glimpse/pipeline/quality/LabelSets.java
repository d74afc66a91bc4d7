package io.glimpse.pipeline.quality;

import java.util.Optional;
import java.util.Set;

/** The labels each model version knows, for telling an unknown label from a wrong prediction. */
@FunctionalInterface
public interface LabelSets {

  /**
   * Returns a version's labels.
   *
   * @return the labels, or empty when the version is not known (then every label joins)
   */
  Optional<Set<String>> of(String model, String version);
}
