package io.glimpse.model.store;

import java.net.URI;
import java.nio.file.Path;

/** Opens a {@link ModelStore} from what a user types: a {@code file://} URI or a plain path. */
public final class ModelStores {

  private ModelStores() {}

  /**
   * Opens a store.
   *
   * @param location {@code file:///var/glimpse/models}, or a path such as {@code ./models}
   * @return the store
   * @throws ModelStoreException for an unsupported scheme or a malformed URI
   */
  public static ModelStore open(String location) throws ModelStoreException {
    if (!location.matches("[A-Za-z][A-Za-z0-9+.-]*:.*")) {
      return new FileModelStore(Path.of(location));
    }
    try {
      return FileModelStore.open(URI.create(location));
    } catch (IllegalArgumentException e) {
      throw new ModelStoreException(
          "model store \"" + location + "\" is not a valid URI: " + e.getMessage(), e);
    }
  }
}
