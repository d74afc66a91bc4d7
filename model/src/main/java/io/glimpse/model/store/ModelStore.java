package io.glimpse.model.store;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where model artifacts live, laid out as {@code <store>/<model>/<version>/}. Versions are
 * immutable: a version is written once, completely or not at all, and never replaced. The trainer
 * {@linkplain #put puts} versions; the pipeline {@linkplain #resolve resolves} a deployment's
 * artifact URI and {@linkplain #fetch fetches} a private copy to verify and load. A store that
 * holds a connection ({@link S3ModelStore}) releases it on {@link #close}.
 */
public interface ModelStore extends AutoCloseable {

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
   * @return its versions, empty when the model (or the whole store, not yet written) has none
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
   * Finds the version an artifact URI names, such as a {@code ModelDeployment}'s {@code
   * artifactUri}. Only a URI of this store's scheme that names an existing {@code
   * <model>/<version>/} inside the store, by no {@code ..} and through no symbolic link, is
   * accepted, and the version must have its {@code manifest.json}.
   *
   * @param artifactUri e.g. {@code file:///var/glimpse/models/fashion/3/}
   * @return the version
   * @throws ModelStoreException naming the URI and the reason: another scheme, outside the store,
   *     no such version, a partial copy, or a store that cannot be read
   */
  StoredVersion resolve(URI artifactUri) throws ModelStoreException;

  /**
   * Parses an artifact URI as a {@code ModelDeployment} carries it (a string) and {@linkplain
   * #resolve(URI) resolves} it.
   *
   * @param artifactUri e.g. {@code file:///var/glimpse/models/fashion/3/}
   * @return the version
   * @throws ModelStoreException when the string is not a URI, or as {@link #resolve(URI)}
   */
  default StoredVersion resolve(String artifactUri) throws ModelStoreException {
    return resolve(ModelStores.parseUri("artifact URI", artifactUri));
  }

  /**
   * Copies a version's files into a new private directory, so that what the caller verifies is what
   * it loads: a file changing in the store afterwards cannot slip in between. The copy is bounded
   * (only regular files, none over the store's size cap) and complete (every file the manifest
   * lists is there); checking checksums is left to {@code ModelArtifactLoader}.
   *
   * @param version a version of this store, from {@link #resolve} or {@link #get}
   * @param target a directory that does not exist yet; its parent must exist. It is created
   *     readable by its owner only, where the file system allows, and the caller deletes it
   * @return {@code target}, holding the copy
   * @throws ModelStoreException naming the version and the file at fault: a link, not a regular
   *     file, over the cap, missing, unreadable, or {@code target} exists (a partial copy is
   *     removed then)
   */
  Path fetch(StoredVersion version, Path target) throws ModelStoreException;

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

  /** Releases what the store holds (an HTTP client); a file store holds nothing. */
  @Override
  default void close() {}
}
