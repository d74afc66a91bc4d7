package io.glimpse.model.store;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The layout of an {@link S3ModelStore}, {@code s3://<bucket>/<prefix>/<model>/<version>/<file>}:
 * the store URI parsed and checked, names turned into object keys, and artifact URIs mapped back to
 * a model and version of this bucket and prefix only. URIs with user info, a query, a fragment, a
 * percent-encoded character (an encoded {@code /} or {@code ..} could lead out) or a {@code .} or
 * {@code ..} segment are refused, never normalized.
 */
final class S3StoreLayout {

  /** S3's bucket naming rules (lower case, 3-63 characters). */
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  /** A model and version named by an artifact URI. */
  record VersionName(String modelName, String version) {}

  private final String bucket;
  private final String keyPrefix;
  private final URI rootUri;

  private S3StoreLayout(String bucket, String keyPrefix) {
    this.bucket = bucket;
    this.keyPrefix = keyPrefix;
    this.rootUri = URI.create("s3://" + bucket + "/" + keyPrefix);
  }

  /**
   * Parses a store URI, {@code s3://<bucket>} or {@code s3://<bucket>/<prefix>}, each prefix
   * segment a name of letters, digits, {@code .}, {@code _} or {@code -}.
   */
  static S3StoreLayout parse(URI uri) throws ModelStoreException {
    // before anything that shows the URI: credentials in it are never shown
    String authority = uri.getRawAuthority();
    if (authority != null && authority.contains("@")) {
      throw new ModelStoreException(
          "model store "
              + uri.getScheme()
              + "://"
              + authority.substring(authority.lastIndexOf('@') + 1)
              + "/...: credentials in the URI are refused (and not shown); use the AWS SDK's"
              + " credentials chain, e.g. AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }
    if (!"s3".equalsIgnoreCase(uri.getScheme())) {
      throw badStore(uri, "it is not an s3:// URI");
    }
    if (authority == null || !BUCKET.matcher(authority).matches()) {
      throw badStore(
          uri, "it does not name a bucket (3-63 lower-case letters, digits, '.' or '-')");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw badStore(uri, "a store URI has no query or fragment");
    }
    List<String> segments = segments(uri);
    if (segments == null) {
      throw badStore(
          uri,
          "each prefix segment must be 1-128 letters, digits, '.', '_' or '-' (not '.' or '..'),"
              + " with no percent-encoding");
    }
    return new S3StoreLayout(authority, segments.isEmpty() ? "" : String.join("/", segments) + "/");
  }

  /** The path's segments, or null when one is empty in the middle, encoded or not a name. */
  private static List<String> segments(URI uri) {
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (path.contains("%")) {
      return null;
    }
    String trimmed = path.replaceAll("^/", "").replaceAll("/$", "");
    List<String> segments = new ArrayList<>();
    if (trimmed.isEmpty()) {
      return segments;
    }
    for (String segment : trimmed.split("/", -1)) {
      if (!StoreLayout.isId(segment) || segment.equals(".") || segment.equals("..")) {
        return null;
      }
      segments.add(segment);
    }
    return segments;
  }

  String bucket() {
    return bucket;
  }

  URI rootUri() {
    return rootUri;
  }

  /** {@code <prefix>/<model>/}, after checking the name. */
  String modelPrefix(String modelName) throws ModelStoreException {
    StoreLayout.requireId("model name", modelName);
    return keyPrefix + modelName + "/";
  }

  /** {@code <prefix>/<model>/<version>/}, after checking the names. */
  String versionPrefix(String modelName, String version) throws ModelStoreException {
    StoreLayout.requireId("version", version);
    return modelPrefix(modelName) + version + "/";
  }

  /** The object key of one file of a version, after checking the names. */
  String key(String modelName, String version, String file) throws ModelStoreException {
    StoreLayout.requireId("file name", file);
    return versionPrefix(modelName, version) + file;
  }

  /** The URI of a version, {@code s3://<bucket>/<prefix>/<model>/<version>/}. */
  URI versionUri(String modelName, String version) {
    return rootUri.resolve(modelName + "/" + version + "/");
  }

  /**
   * Returns the model and version an artifact URI names, after checking that it is exactly {@code
   * s3://<this bucket>/<this prefix>/<model>/<version>/}.
   */
  VersionName locate(URI uri) throws ModelStoreException {
    // before anything that shows the URI: credentials in it are never shown
    String authority = uri.getRawAuthority();
    if (authority != null && authority.contains("@")) {
      throw new ModelStoreException(
          "refused an artifact URI with credentials in it (not shown); deploy the URI the store"
              + " returned, "
              + rootUri
              + "<model>/<version>/");
    }
    if (!"s3".equalsIgnoreCase(uri.getScheme())) {
      throw refused(uri, "it is not an s3:// URI, and this store is " + rootUri);
    }
    if (!bucket.equals(authority)) {
      throw refused(
          uri,
          "it names another bucket than the store "
              + rootUri
              + "; point the pipeline at the store the trainer published to");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw refused(uri, "an artifact URI has no query or fragment");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (path.contains("%")) {
      throw refused(
          uri, "it has percent-encoded characters (an encoded '/' or '..' could lead out)");
    }
    List<String> all = List.of(path.replaceAll("^/", "").split("/", -1));
    if (all.contains(".") || all.contains("..")) {
      throw refused(uri, "its path has '.' or '..' segments; deploy the URI the store returned");
    }
    String rest = path.startsWith("/" + keyPrefix) ? path.substring(1 + keyPrefix.length()) : null;
    if (rest == null) {
      throw refused(
          uri,
          "it is not inside the store "
              + rootUri
              + "; point the pipeline at the store the trainer published to");
    }
    String[] parts = rest.replaceAll("/$", "").split("/", -1);
    if (parts.length != 2 || !StoreLayout.isId(parts[0]) || !StoreLayout.isId(parts[1])) {
      throw refused(uri, "it does not name <model>/<version>/ in the store " + rootUri);
    }
    return new VersionName(parts[0], parts[1]);
  }

  private static ModelStoreException refused(URI uri, String reason) {
    return new ModelStoreException("refused artifact URI " + uri + ": " + reason);
  }

  private static ModelStoreException badStore(URI uri, String reason) {
    return new ModelStoreException(
        "model store "
            + uri
            + " is not usable: "
            + reason
            + "; write it as s3://<bucket>/<prefix>, e.g. s3://glimpse-models/prod");
  }
}
