package io.glimpse.model.store;

import io.glimpse.model.artifact.ModelArtifactLoader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach an S3-compatible store and where to cache the versions fetched from it. Holds no
 * credentials: those come from the AWS SDK's default chain only ({@code AWS_ACCESS_KEY_ID} and
 * {@code AWS_SECRET_ACCESS_KEY}, the {@code aws.accessKeyId} system properties, profiles, web
 * identity), so they never appear in a URI, a setting or a log line.
 *
 * <p>The pipeline builds these from {@code glimpse.s3.*} and {@code glimpse.model.cache.*}; the
 * command line from the same names as environment variables ({@link #fromEnvironment}).
 */
public final class S3StoreSettings {

  /** The region when none is set: AWS's default, and what MinIO and Ceph accept. */
  public static final String DEFAULT_REGION = "us-east-1";

  /** The cache bound when none is set: 2 GiB. */
  public static final long DEFAULT_CACHE_MAX_BYTES = 2L * 1024 * 1024 * 1024;

  private final Optional<URI> endpoint;
  private final String region;
  private final boolean pathStyle;
  private final Path cacheDirectory;
  private final long cacheMaxBytes;
  private final long maxFileBytes;

  private S3StoreSettings(Builder b) {
    endpoint = Optional.ofNullable(b.endpoint);
    region = b.region;
    pathStyle = b.pathStyle;
    cacheDirectory = b.cacheDirectory;
    cacheMaxBytes = b.cacheMaxBytes;
    maxFileBytes = b.maxFileBytes;
  }

  /**
   * Returns a builder with the defaults: AWS's endpoint, {@code AWS_REGION} or {@value
   * #DEFAULT_REGION}, virtual-host addressing, a cache of 2 GiB in {@link #defaultCacheDirectory}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads {@code GLIMPSE_S3_ENDPOINT}, {@code GLIMPSE_S3_REGION} (else {@code AWS_REGION}), {@code
   * GLIMPSE_S3_PATH_STYLE}, {@code GLIMPSE_MODEL_CACHE_DIR} and {@code
   * GLIMPSE_MODEL_CACHE_MAX_BYTES}; unset or blank ones keep their defaults. What the command line
   * ({@code train}, {@code models}, {@code up}) uses.
   *
   * @param env the environment, e.g. {@code System.getenv()}
   * @return the settings
   * @throws IllegalArgumentException naming the variable of a bad value
   */
  public static S3StoreSettings fromEnvironment(Map<String, String> env) {
    return builder(env).build();
  }

  /**
   * A builder holding what {@link #fromEnvironment} reads, for command-line flags to override.
   *
   * @param env the environment, e.g. {@code System.getenv()}
   * @return a new builder
   * @throws IllegalArgumentException naming the variable of a bad value
   */
  public static Builder builder(Map<String, String> env) {
    Builder builder = builder();
    value(env, "AWS_REGION").ifPresent(builder::optRegion);
    value(env, "GLIMPSE_S3_ENDPOINT").ifPresent(builder::optEndpoint);
    value(env, "GLIMPSE_S3_REGION").ifPresent(builder::optRegion);
    value(env, "GLIMPSE_S3_PATH_STYLE")
        .ifPresent(v -> builder.optPathStyle(flag("GLIMPSE_S3_PATH_STYLE", v)));
    value(env, "GLIMPSE_MODEL_CACHE_DIR").ifPresent(v -> builder.optCacheDirectory(Path.of(v)));
    value(env, "GLIMPSE_MODEL_CACHE_MAX_BYTES")
        .ifPresent(v -> builder.optCacheMaxBytes(number("GLIMPSE_MODEL_CACHE_MAX_BYTES", v)));
    return builder;
  }

  /**
   * The cache directory when none is set: {@code
   * <java.io.tmpdir>/glimpse-model-cache-<user>-<pid>}, one per process, because a cache belongs to
   * the process that opened it (it removes unfinished downloads when it opens and evicts entries as
   * it likes). A process that stops leaves its directory behind; set a directory of your own to
   * reuse downloads across restarts.
   *
   * @return the directory
   */
  public static Path defaultCacheDirectory() {
    String user = System.getProperty("user.name", "glimpse").replaceAll("[^A-Za-z0-9._-]", "_");
    return Path.of(
        System.getProperty("java.io.tmpdir"),
        "glimpse-model-cache-" + user + "-" + ProcessHandle.current().pid());
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
  }

  private static boolean flag(String name, String value) {
    String text = value.toLowerCase(Locale.ROOT);
    if (!text.equals("true") && !text.equals("false")) {
      throw new IllegalArgumentException(name + " must be true or false, got \"" + value + "\"");
    }
    return Boolean.parseBoolean(text);
  }

  private static long number(String name, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a whole number of bytes, got \"" + value + "\"", e);
    }
  }

  /** The endpoint to send requests to; empty for AWS's own. */
  public Optional<URI> endpoint() {
    return endpoint;
  }

  /** The region requests are signed for. */
  public String region() {
    return region;
  }

  /** Whether to address buckets as {@code <endpoint>/<bucket>/<key>} (MinIO, Ceph). */
  public boolean pathStyle() {
    return pathStyle;
  }

  /** Where fetched versions are cached. */
  public Path cacheDirectory() {
    return cacheDirectory;
  }

  /** The most bytes the cache keeps. */
  public long cacheMaxBytes() {
    return cacheMaxBytes;
  }

  /** The largest object a version may hold. */
  public long maxFileBytes() {
    return maxFileBytes;
  }

  @Override
  public String toString() {
    return "endpoint="
        + endpoint.map(URI::toString).orElse("AWS")
        + ", region="
        + region
        + ", pathStyle="
        + pathStyle
        + ", cache="
        + cacheDirectory
        + " (max "
        + cacheMaxBytes
        + " bytes)";
  }

  /** Builds {@link S3StoreSettings}; every setting is optional and checked when it is set. */
  public static final class Builder {
    private URI endpoint;
    private String region = DEFAULT_REGION;
    private boolean pathStyle;
    private Path cacheDirectory = defaultCacheDirectory();
    private long cacheMaxBytes = DEFAULT_CACHE_MAX_BYTES;
    private long maxFileBytes = ModelArtifactLoader.DEFAULT_MAX_FILE_BYTES;

    private Builder() {}

    /**
     * Sends requests to an S3-compatible endpoint instead of AWS's.
     *
     * @param endpoint e.g. {@code http://minio:9000}; blank means AWS's
     * @return this builder
     * @throws IllegalArgumentException when it is not an http(s) URI with a host and nothing else
     */
    public Builder optEndpoint(String endpoint) {
      if (endpoint == null || endpoint.isBlank()) {
        this.endpoint = null;
        return this;
      }
      URI uri;
      try {
        uri = new URI(endpoint.trim());
      } catch (URISyntaxException e) {
        throw badEndpoint(endpoint, e);
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https"))
          || uri.getHost() == null
          || uri.getRawUserInfo() != null
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        throw badEndpoint(endpoint, null);
      }
      this.endpoint = uri;
      return this;
    }

    private static IllegalArgumentException badEndpoint(String endpoint, Throwable cause) {
      // The value is not echoed: a mistyped endpoint may carry credentials in its user info.
      return new IllegalArgumentException(
          "the S3 endpoint must be an http:// or https:// URI with a host, and no user info,"
              + " query or fragment, e.g. http://minio:9000 (credentials come from"
              + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, never from the endpoint)",
          cause);
    }

    /**
     * Sets the region requests are signed for.
     *
     * @param region e.g. {@code eu-west-1}
     * @return this builder
     * @throws IllegalArgumentException when it is not a region name
     */
    public Builder optRegion(String region) {
      if (region == null || !region.matches("[a-z0-9-]{1,64}")) {
        throw new IllegalArgumentException(
            "the S3 region must be a region name such as us-east-1, got \"" + region + "\"");
      }
      this.region = region;
      return this;
    }

    /**
     * Addresses buckets in the path rather than the host name, as MinIO and Ceph need.
     *
     * @param pathStyle whether to
     * @return this builder
     */
    public Builder optPathStyle(boolean pathStyle) {
      this.pathStyle = pathStyle;
      return this;
    }

    /**
     * Sets where fetched versions are cached; give each process a directory of its own.
     *
     * @param directory created when missing
     * @return this builder
     */
    public Builder optCacheDirectory(Path directory) {
      this.cacheDirectory = directory.toAbsolutePath().normalize();
      return this;
    }

    /**
     * Bounds the cache; least recently used versions are removed beyond it.
     *
     * @param bytes at least 1
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder optCacheMaxBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("the model cache bound must be positive, got " + bytes);
      }
      this.cacheMaxBytes = bytes;
      return this;
    }

    /**
     * Bounds every object a version may hold.
     *
     * @param bytes at least 1; keep it at most the loader's cap
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder optMaxFileBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("the object size cap must be positive, got " + bytes);
      }
      this.maxFileBytes = bytes;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @return the settings
     */
    public S3StoreSettings build() {
      return new S3StoreSettings(this);
    }
  }
}
