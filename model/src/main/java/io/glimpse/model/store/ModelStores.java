package io.glimpse.model.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Opens a {@link ModelStore} from what a user types: a {@code file://} URI or a plain path. */
public final class ModelStores {

  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:.*");

  private ModelStores() {}

  /**
   * Opens a store.
   *
   * @param location {@code file:///var/glimpse/models} (percent-encoded, {@code %20} for a space),
   *     or a plain path such as {@code ./models} (taken as it is written)
   * @return the store
   * @throws ModelStoreException for an unsupported scheme, a malformed URI or an invalid path
   */
  public static ModelStore open(String location) throws ModelStoreException {
    if (SCHEME.matcher(location).matches()) {
      return FileModelStore.open(parseUri("model store", location));
    }
    try {
      return new FileModelStore(Path.of(location));
    } catch (InvalidPathException e) {
      throw new ModelStoreException(
          "model store \"" + location + "\" is not a valid path: " + e.getMessage(), e);
    }
  }

  /** Parses a URI, saying what it was meant to be when it is not one. */
  static URI parseUri(String what, String text) throws ModelStoreException {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw new ModelStoreException(
          what
              + " \""
              + text
              + "\" is not a valid URI ("
              + e.getMessage()
              + "); percent-encode special characters, e.g. %20 for a space",
          e);
    }
  }
}
