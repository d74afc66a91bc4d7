package io.glimpse.model.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Opens a {@link ModelStore} from what a user types: a {@code file://} URI, an {@code s3://} URI or
 * a plain path.
 */
public final class ModelStores {

  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:.*");

  private ModelStores() {}

  /**
   * Opens a store, an {@code s3://} one with the settings of the environment ({@link
   * S3StoreSettings#fromEnvironment}): what the command line does.
   *
   * @param location as {@link #open(String, S3StoreSettings)} takes it
   * @return the store
   * @throws ModelStoreException for an unsupported scheme, a malformed URI, an invalid path or a
   *     bad {@code GLIMPSE_S3_*} variable
   */
  public static ModelStore open(String location) throws ModelStoreException {
    if (!location.regionMatches(true, 0, "s3:", 0, 3)) {
      return open(location, null);
    }
    S3StoreSettings settings;
    try {
      settings = S3StoreSettings.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      throw new ModelStoreException("cannot open model store " + location + ": " + e.getMessage());
    }
    return open(location, settings);
  }

  /**
   * Opens a store.
   *
   * @param location {@code file:///var/glimpse/models} (percent-encoded, {@code %20} for a space),
   *     {@code s3://bucket/prefix}, or a plain path such as {@code ./models} (taken as it is
   *     written)
   * @param s3 how to reach S3 and where to cache; only used, and then required, for {@code s3://}
   * @return the store
   * @throws ModelStoreException for an unsupported scheme, a malformed URI or an invalid path
   */
  public static ModelStore open(String location, S3StoreSettings s3) throws ModelStoreException {
    boolean s3Uri = location.regionMatches(true, 0, "s3:", 0, 3);
    if ((s3Uri && location.contains("@")) || hasUserInfo(location)) {
      throw new ModelStoreException(
          "model store URIs carry no credentials (the URI is not shown); use the AWS SDK's"
              + " credentials chain, e.g. AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }
    if (SCHEME.matcher(location).matches()) {
      URI uri = parseUri("model store", location);
      if ("s3".equalsIgnoreCase(uri.getScheme())) {
        if (s3 == null) {
          throw new ModelStoreException("model store " + location + " needs S3 settings");
        }
        return S3ModelStore.open(uri, s3);
      }
      return FileModelStore.open(uri);
    }
    try {
      return new FileModelStore(Path.of(location));
    } catch (InvalidPathException e) {
      throw new ModelStoreException(
          "model store \"" + location + "\" is not a valid path: " + e.getMessage(), e);
    }
  }

  /** Whether a {@code scheme://authority/...} location has user info (credentials) in it. */
  private static boolean hasUserInfo(String location) {
    int start = location.indexOf("://");
    if (start < 0) {
      return false;
    }
    int end = location.indexOf('/', start + 3);
    return location.substring(start + 3, end < 0 ? location.length() : end).contains("@");
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
