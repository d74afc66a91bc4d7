package io.glimpse.model.store;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where model artifacts live, laid out as {@code <store>/<model>/<version>/}. Versions are
 * immutable: a version is written once, completely or not at all, and never replaced.
 */
public interface ModelStore {

  /**
   * Returns the store's own URI, e.g. {@code file:///var/glimpse/models/}.
   *
   * @return the URI
   */
  URI uri();

  /**
   * Stores an artifact directory as a new version, atomically: readers see the whole version or
   * none of it.
   *
   * @param artifactDirectory an artifact written by {@code ModelArtifactWriter}; its manifest's
   *     name and version must be {@code modelName} and {@code version}
   * @param modelName the model name
   * @param version the version
   * @return the version's URI, as {@code ModelVersion.artifactUri} carries it
   * @throws ModelStoreException when the version exists, the artifact disagrees with the name and
   *     version, or writing fails (nothing is left behind then)
   */
  URI put(Path artifactDirectory, String modelName, String version) throws ModelStoreException;

  /**
   * Lists a model's versions, numeric versions in numeric order, then the others by name.
   *
   * @param modelName the model name
   * @return its versions, empty when the model has none
   * @throws ModelStoreException when the store cannot be read
   */
  List<StoredVersion> list(String modelName) throws ModelStoreException;

  /**
   * Finds one version.
   *
   * @param modelName the model name
   * @param version the version
   * @return the version, empty when it does not exist
   * @throws ModelStoreException when the store cannot be read
   */
  Optional<StoredVersion> get(String modelName, String version) throws ModelStoreException;

  /**
   * Returns the next integer version of a model: one more than its largest integer version, or
   * {@code 1} for a new model.
   *
   * @param modelName the model name
   * @return the next version
   * @throws ModelStoreException when the store cannot be read
   */
  default String nextVersion(String modelName) throws ModelStoreException {
    long max = 0;
    for (StoredVersion v : list(modelName)) {
      if (v.version().matches("\\d{1,18}")) {
        max = Math.max(max, Long.parseLong(v.version()));
      }
    }
    return Long.toString(max + 1);
  }
}
