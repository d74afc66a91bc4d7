package io.glimpse.model.store;

import io.glimpse.model.artifact.ModelArtifact;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Writes one version into an {@link S3ModelStore}: every file of the artifact, then {@code
 * manifest.json} last, so readers see a version only once it is complete. Every object is written
 * only if none is there yet ({@code If-None-Match: *}): of two writers of the same version at most
 * one wins, and neither overwrites the other's files. On failure the objects this writer uploaded
 * are removed (best effort: a leftover without a manifest is a partial version, refused by readers
 * and removed by the next put of that version).
 */
final class S3VersionUpload {

  private static final Logger logger = LoggerFactory.getLogger(S3VersionUpload.class);

  private final S3Client client;
  private final S3StoreLayout layout;
  private final long maxFileBytes;

  S3VersionUpload(S3Client client, S3StoreLayout layout, long maxFileBytes) {
    this.client = client;
    this.layout = layout;
    this.maxFileBytes = maxFileBytes;
  }

  URI put(Path artifact, String modelName, String version) throws ModelStoreException {
    String manifestKey = layout.key(modelName, version, ModelArtifact.MANIFEST_FILE);
    VersionWriter.requireMatchingManifest(artifact, modelName, version);
    List<Path> files = artifactFiles(artifact);
    String what = "cannot store " + modelName + " v" + version;
    if (manifestExists(manifestKey, what)) {
      throw exists(modelName, version);
    }
    removeLeftovers(layout.versionPrefix(modelName, version), what);
    List<String> uploaded = new ArrayList<>();
    boolean done = false;
    try {
      for (Path file : files) {
        String key = layout.key(modelName, version, file.getFileName().toString());
        upload(key, file);
        uploaded.add(key);
      }
      done = true;
    } catch (S3Exception e) {
      if (e.statusCode() == 412) {
        throw exists(modelName, version);
      }
      throw S3Failures.of(what, layout, e);
    } catch (SdkException e) {
      throw S3Failures.of(what, layout, e);
    } finally {
      if (!done) {
        removeQuietly(uploaded);
      }
    }
    URI uri = layout.versionUri(modelName, version);
    logger.info("Stored {} v{} at {}", modelName, version, uri);
    return uri;
  }

  /**
   * Writes one object unless one is there. A 412 (one is there) after the SDK retried a request
   * whose answer was lost is our own first attempt: an object with exactly our bytes counts as
   * written.
   */
  private void upload(String key, Path file) throws ModelStoreException {
    try {
      client.putObject(
          b -> b.bucket(layout.bucket()).key(key).ifNoneMatch("*"), RequestBody.fromFile(file));
    } catch (S3Exception e) {
      if (e.statusCode() != 412 || !holds(key, file)) {
        throw e;
      }
      logger.debug("s3://{}/{} already holds the bytes of {}", layout.bucket(), key, file);
    }
  }

  /** Whether the object {@code key} has the same bytes as {@code file}. */
  private boolean holds(String key, Path file) throws ModelStoreException {
    try (ResponseInputStream<GetObjectResponse> in =
            client.getObject(b -> b.bucket(layout.bucket()).key(key));
        InputStream local = Files.newInputStream(file)) {
      Long length = in.response().contentLength();
      if (length == null || length != Files.size(file)) {
        return false;
      }
      byte[] remote = new byte[64 * 1024];
      byte[] mine = new byte[remote.length];
      for (int n = in.readNBytes(remote, 0, remote.length); n > 0; ) {
        if (local.readNBytes(mine, 0, n) != n || !Arrays.equals(remote, 0, n, mine, 0, n)) {
          return false;
        }
        n = in.readNBytes(remote, 0, remote.length);
      }
      return local.read() < 0;
    } catch (IOException e) {
      throw new StoreUnavailableException(
          "cannot compare s3://" + layout.bucket() + "/" + key + " with " + file + ": " + e, e);
    }
  }

  /** The artifact's regular files, bounded, with the manifest last. */
  private List<Path> artifactFiles(Path artifact) throws ModelStoreException {
    List<Path> files = new ArrayList<>();
    Path manifest = null;
    try (Stream<Path> entries = Files.list(artifact)) {
      for (Path file : entries.toList()) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          throw new ModelStoreException(
              file + " is not a regular file; an artifact holds only regular files");
        }
        if (Files.size(file) > maxFileBytes) {
          throw new ModelStoreException(
              file + " is larger than the store's " + maxFileBytes + "-byte cap");
        }
        StoreLayout.requireId("file name", file.getFileName().toString());
        if (file.getFileName().toString().equals(ModelArtifact.MANIFEST_FILE)) {
          manifest = file;
        } else {
          files.add(file);
        }
      }
    } catch (IOException e) {
      throw new ModelStoreException("cannot read the artifact " + artifact + ": " + e, e);
    }
    if (files.size() >= VersionCopy.MAX_FILES) {
      throw new ModelStoreException(artifact + " holds too many files to be an artifact");
    }
    files.add(manifest); // requireMatchingManifest saw it
    return files;
  }

  private boolean manifestExists(String key, String what) throws ModelStoreException {
    try {
      client.headObject(b -> b.bucket(layout.bucket()).key(key));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw S3Failures.of(what, layout, e);
    } catch (SdkException e) {
      throw S3Failures.of(what, layout, e);
    }
  }

  /** Removes the objects of a partial version (no manifest), left by a put that failed. */
  private void removeLeftovers(String prefix, String what) throws ModelStoreException {
    List<String> leftovers = new ArrayList<>();
    try {
      client
          .listObjectsV2Paginator(b -> b.bucket(layout.bucket()).prefix(prefix))
          .contents()
          .forEach(o -> leftovers.add(o.key()));
    } catch (SdkException e) {
      throw S3Failures.of(what, layout, e);
    }
    if (!leftovers.isEmpty()) {
      logger.warn(
          "Removing {} object(s) of a partial version under s3://{}/{} before writing it again",
          leftovers.size(),
          layout.bucket(),
          prefix);
      removeQuietly(leftovers);
    }
  }

  private void removeQuietly(List<String> keys) {
    for (String key : keys) {
      try {
        client.deleteObject(b -> b.bucket(layout.bucket()).key(key));
      } catch (SdkException e) {
        logger.warn(
            "Could not remove s3://{}/{} after a failed put: {}; it is part of a partial version,"
                + " readers refuse it",
            layout.bucket(),
            key,
            e.getMessage());
      }
    }
  }

  private ModelStoreException exists(String modelName, String version) {
    return new ModelStoreException(
        modelName
            + " v"
            + version
            + " already exists at "
            + layout.versionUri(modelName, version)
            + "; versions are immutable, publish a new version");
  }
}
