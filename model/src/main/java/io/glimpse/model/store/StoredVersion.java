package io.glimpse.model.store;

import java.net.URI;

/**
 * A model version in a store.
 *
 * @param modelName the model name
 * @param version the version
 * @param uri where its artifact is, e.g. {@code file:///var/glimpse/models/fashion/3/}
 */
public record StoredVersion(String modelName, String version, URI uri) {}
