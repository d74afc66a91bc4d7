package io.glimpse.model.store;

import java.net.URI;
import java.util.Objects;

/**
 * A model version in a store.
 *
 * @param modelName the model name
 * @param version the version
 * @param uri where its artifact is, e.g. {@code file:///var/glimpse/models/fashion/3/}
 */
public record StoredVersion(String modelName, String version, URI uri) {

  /**
   * Checks that every part is there.
   *
   * @param modelName the model name
   * @param version the version
   * @param uri where its artifact is
   * @throws NullPointerException when a part is missing
   */
  public StoredVersion {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(uri, "uri");
  }
}
