package io.glimpse.ops.cli.connection;

import io.glimpse.model.store.ModelStore;
import io.glimpse.model.store.ModelStoreException;
import io.glimpse.model.store.ModelStores;
import io.glimpse.model.store.S3StoreSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How a command reaches an {@code s3://} model store: {@code --s3-endpoint}, {@code --s3-region}
 * and {@code --s3-path-style}, over {@code GLIMPSE_S3_ENDPOINT}, {@code GLIMPSE_S3_REGION} and
 * {@code GLIMPSE_S3_PATH_STYLE}, over AWS's defaults; and where versions read from it are cached,
 * {@code --model-cache-dir} over {@code GLIMPSE_MODEL_CACHE_DIR}. Credentials are never options:
 * the AWS SDK's default chain finds them ({@code AWS_ACCESS_KEY_ID} and {@code
 * AWS_SECRET_ACCESS_KEY}, a profile, web identity). {@code train} and every {@code models} command
 * take these.
 */
public final class S3Options {

  @Option(
      names = "--s3-endpoint",
      paramLabel = "<url>",
      description =
          "For an s3:// store: an S3-compatible endpoint such as http://minio:9000 (default:"
              + " GLIMPSE_S3_ENDPOINT, else AWS).")
  private String endpoint;

  @Option(
      names = "--s3-region",
      paramLabel = "<region>",
      description =
          "For an s3:// store: the region (default: GLIMPSE_S3_REGION, AWS_REGION, else"
              + " us-east-1).")
  private String region;

  @Option(
      names = "--s3-path-style",
      paramLabel = "<true|false>",
      arity = "0..1",
      fallbackValue = "true",
      description =
          "For an s3:// store: address buckets in the path, as MinIO and Ceph need (default:"
              + " GLIMPSE_S3_PATH_STYLE, else false).")
  private Boolean pathStyle;

  @Option(
      names = "--model-cache-dir",
      paramLabel = "<dir>",
      description =
          "For an s3:// store: where versions read from it are cached (default:"
              + " GLIMPSE_MODEL_CACHE_DIR, else glimpse-model-cache-<user>-<pid> in the temporary"
              + " directory).")
  private Path cacheDirectory;

  /**
   * The settings, flags over environment over defaults.
   *
   * @throws IllegalArgumentException naming the flag or variable of a bad value
   */
  public S3StoreSettings settings() {
    S3StoreSettings.Builder builder = S3StoreSettings.builder(System.getenv());
    if (endpoint != null) {
      builder.optEndpoint(endpoint);
    }
    if (region != null) {
      builder.optRegion(region);
    }
    if (pathStyle != null) {
      builder.optPathStyle(pathStyle);
    }
    if (cacheDirectory != null) {
      builder.optCacheDirectory(cacheDirectory);
    }
    return builder.build();
  }

  /**
   * Opens a model store with these settings (used only for an {@code s3://} one).
   *
   * @param location a path, {@code file://} or {@code s3://} URI
   * @throws ModelStoreException when it cannot be opened, or a setting is bad
   */
  public ModelStore open(String location) throws ModelStoreException {
    S3StoreSettings settings;
    try {
      settings = settings();
    } catch (IllegalArgumentException e) {
      throw new ModelStoreException("cannot open model store " + location + ": " + e.getMessage());
    }
    return ModelStores.open(location, settings);
  }
}
