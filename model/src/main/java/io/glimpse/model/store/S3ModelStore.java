package io.glimpse.model.store;

import io.glimpse.model.artifact.ModelArtifact;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link ModelStore} in an S3 bucket ({@code s3://<bucket>/<prefix>}), on AWS or any
 * S3-compatible service (MinIO, Ceph: set an endpoint and path-style access). A version is the
 * objects under {@code <prefix>/<model>/<version>/}; {@code manifest.json} is uploaded last, so a
 * version without one is partial: {@link #resolve} and {@link #fetch} refuse it, {@link #get} and
 * {@link #list} leave it out, and {@link #put} writes it again. {@link #fetch} goes through a
 * bounded local {@link VersionCache}: a version is downloaded once, every file checked against the
 * manifest's sha256, and copied from there. No answer from S3 is a {@link
 * StoreUnavailableException}, worth retrying; anything else is refused.
 */
public final class S3ModelStore implements ModelStore {

  private static final Logger logger = LoggerFactory.getLogger(S3ModelStore.class);

  private final S3StoreLayout layout;
  private final S3Client client;
  private final VersionCache cache;
  private final long maxFileBytes;

  private S3ModelStore(
      S3StoreLayout layout, S3Client client, VersionCache cache, long maxFileBytes) {
    this.layout = layout;
    this.client = client;
    this.cache = cache;
    this.maxFileBytes = maxFileBytes;
  }

  /**
   * Opens a store; no request is sent until it is used.
   *
   * @param uri {@code s3://<bucket>} or {@code s3://<bucket>/<prefix>}
   * @param settings the endpoint, region, addressing and cache
   * @return the store; close it to release its HTTP client
   * @throws ModelStoreException for a URI that is not a usable store, or a cache directory that
   *     cannot be created
   */
  public static S3ModelStore open(URI uri, S3StoreSettings settings) throws ModelStoreException {
    S3StoreLayout layout = S3StoreLayout.parse(uri);
    VersionCache cache = VersionCache.at(settings.cacheDirectory(), settings.cacheMaxBytes());
    logger.debug("Opening model store {} ({})", layout.rootUri(), settings);
    return new S3ModelStore(layout, S3Clients.create(settings), cache, settings.maxFileBytes());
  }

  @Override
  public URI uri() {
    return layout.rootUri();
  }

  @Override
  public URI put(Path artifactDirectory, String modelName, String version)
      throws ModelStoreException {
    return new S3VersionUpload(client, layout, maxFileBytes)
        .put(artifactDirectory, modelName, version);
  }

  @Override
  public List<StoredVersion> list(String modelName) throws ModelStoreException {
    String prefix = layout.modelPrefix(modelName);
    String manifestSuffix = "/" + ModelArtifact.MANIFEST_FILE;
    List<StoredVersion> versions = new ArrayList<>();
    try {
      // every key under the model, so that a version without its manifest (partial) is left out
      for (ListObjectsV2Response page :
          client.listObjectsV2Paginator(b -> b.bucket(layout.bucket()).prefix(prefix))) {
        for (S3Object object : page.contents()) {
          String rest = object.key().substring(prefix.length());
          if (!rest.endsWith(manifestSuffix)) {
            continue;
          }
          String version = rest.substring(0, rest.length() - manifestSuffix.length());
          if (StoreLayout.isId(version)) {
            versions.add(
                new StoredVersion(modelName, version, layout.versionUri(modelName, version)));
          }
        }
      }
    } catch (SdkException e) {
      throw S3Failures.of("cannot list " + modelName, layout, e);
    }
    versions.sort(Comparator.comparing(StoredVersion::version, StoreLayout::compareVersions));
    return versions;
  }

  @Override
  public Optional<StoredVersion> get(String modelName, String version) throws ModelStoreException {
    // a version without its manifest is partial (an upload cut short): absent, so that put()
    // writes it again
    String manifestKey = layout.key(modelName, version, ModelArtifact.MANIFEST_FILE);
    try {
      client.headObject(b -> b.bucket(layout.bucket()).key(manifestKey));
      return Optional.of(
          new StoredVersion(modelName, version, layout.versionUri(modelName, version)));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw S3Failures.of("cannot look up " + modelName + " v" + version, layout, e);
    } catch (SdkException e) {
      throw S3Failures.of("cannot look up " + modelName + " v" + version, layout, e);
    }
  }

  @Override
  public StoredVersion resolve(URI artifactUri) throws ModelStoreException {
    S3StoreLayout.VersionName name = layout.locate(artifactUri);
    String manifestKey = layout.key(name.modelName(), name.version(), ModelArtifact.MANIFEST_FILE);
    try {
      client.headObject(b -> b.bucket(layout.bucket()).key(manifestKey));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw new ModelStoreException(
            "artifact URI "
                + artifactUri
                + " is a partial version: it has no "
                + ModelArtifact.MANIFEST_FILE
                + " (or there is no such version); re-publish it");
      }
      throw S3Failures.of("cannot read artifact URI " + artifactUri, layout, e);
    } catch (SdkException e) {
      throw S3Failures.of("cannot read artifact URI " + artifactUri, layout, e);
    }
    return new StoredVersion(
        name.modelName(), name.version(), layout.versionUri(name.modelName(), name.version()));
  }

  @Override
  public Path fetch(StoredVersion version, Path target) throws ModelStoreException {
    URI expected = layout.versionUri(version.modelName(), version.version());
    if (!expected.equals(version.uri())) {
      throw new ModelStoreException(
          version.uri()
              + " is not where "
              + version.modelName()
              + " v"
              + version.version()
              + " is stored; fetch a version that resolve or get returned");
    }
    S3VersionDownload download = new S3VersionDownload(client, layout, version, maxFileBytes);
    Path copy = cache.copy(cacheEntry(version), version, maxFileBytes, download::into, target);
    logger.debug("Fetched {} v{} into {}", version.modelName(), version.version(), copy);
    return copy;
  }

  /** Versions downloaded into the cache since it opened (a cache hit downloads nothing). */
  long cacheDownloads() {
    return cache.downloads();
  }

  /** Releases the HTTP client. */
  @Override
  public void close() {
    client.close();
  }

  /**
   * {@code <12 hex of the version URI's sha256>-<model>-<version>} (the names cut short when long):
   * unique per store and version, and readable.
   */
  private String cacheEntry(StoredVersion version) {
    byte[] hash =
        S3VersionDownload.sha256()
            .digest(version.uri().toString().getBytes(StandardCharsets.UTF_8));
    String names = version.modelName() + "-" + version.version();
    return HexFormat.of().formatHex(hash, 0, 6)
        + "-"
        + names.substring(0, Math.min(names.length(), 100));
  }
}
