package io.glimpse.model.store;

import io.glimpse.model.artifact.ModelArtifact;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.artifact.ModelManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Downloads one version of an {@link S3ModelStore} into a directory and checks it on the way:
 * {@code manifest.json} first (a version without one is partial), then every file it lists, each
 * bounded by the size cap and its sha256 compared with the manifest's. What it leaves behind is
 * complete and verified, or it throws naming the file at fault.
 */
final class S3VersionDownload {

  /** Manifests are small; anything bigger is not one. */
  private static final long MAX_MANIFEST_BYTES = 1024 * 1024;

  private final S3Client client;
  private final S3StoreLayout layout;
  private final StoredVersion version;
  private final long maxFileBytes;

  S3VersionDownload(
      S3Client client, S3StoreLayout layout, StoredVersion version, long maxFileBytes) {
    this.client = client;
    this.layout = layout;
    this.version = version;
    this.maxFileBytes = maxFileBytes;
  }

  /**
   * Downloads into {@code directory}, which exists and is empty.
   *
   * @return the bytes downloaded
   */
  long into(Path directory) throws ModelStoreException {
    Path manifestFile = directory.resolve(ModelArtifact.MANIFEST_FILE);
    download(ModelArtifact.MANIFEST_FILE, manifestFile, Math.min(MAX_MANIFEST_BYTES, maxFileBytes));
    ModelManifest manifest = readManifest(manifestFile);
    Map<String, String> files = manifest.getFiles();
    if (files.size() >= VersionCopy.MAX_FILES) {
      throw failed("its manifest lists " + files.size() + " files; it is not an artifact", null);
    }
    long total = size(manifestFile);
    for (Map.Entry<String, String> file : files.entrySet()) {
      if (!StoreLayout.isId(file.getKey()) || file.getKey().equals(ModelArtifact.MANIFEST_FILE)) {
        throw failed("its manifest lists a file named \"" + file.getKey() + "\"", null);
      }
      String sha256 = download(file.getKey(), directory.resolve(file.getKey()), maxFileBytes);
      if (!sha256.equalsIgnoreCase(file.getValue())) {
        throw failed(
            "checksum mismatch for "
                + file.getKey()
                + ": the manifest says sha256 "
                + file.getValue()
                + ", the object has "
                + sha256
                + "; the object is corrupt or was modified, re-publish the version",
            null);
      }
      total += size(directory.resolve(file.getKey()));
    }
    return total;
  }

  private ModelManifest readManifest(Path file) throws ModelStoreException {
    try {
      ModelManifest manifest = ModelManifest.fromJson(Files.readAllBytes(file));
      if (!manifest.getName().equals(version.modelName())
          || !manifest.getVersion().equals(version.version())) {
        throw failed(
            "its manifest names " + manifest.getName() + " v" + manifest.getVersion() + " instead",
            null);
      }
      return manifest;
    } catch (IOException e) {
      throw failed("cannot read the downloaded " + ModelArtifact.MANIFEST_FILE + ": " + e, e);
    } catch (ModelArtifactException e) {
      throw failed(
          ModelArtifact.MANIFEST_FILE
              + " is not a valid manifest ("
              + e.getMessage()
              + "); re-publish the version",
          e);
    }
  }

  /** Streams one object into {@code file}, bounded, and returns its sha256. */
  private String download(String name, Path file, long cap) throws ModelStoreException {
    String key = layout.key(version.modelName(), version.version(), name);
    MessageDigest digest = sha256();
    try (ResponseInputStream<GetObjectResponse> in =
        client.getObject(b -> b.bucket(layout.bucket()).key(key))) {
      Long length = in.response().contentLength();
      if (length != null && length > cap) {
        throw tooLarge(name, cap);
      }
      write(in, file, digest, name, cap);
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw failed(
            "partial version: "
                + name
                + " is missing"
                + (name.equals(ModelArtifact.MANIFEST_FILE) ? "" : " though the manifest lists it")
                + "; re-publish the version",
            e);
      }
      throw S3Failures.of(describe(), layout, e);
    } catch (SdkException e) {
      throw S3Failures.of(describe(), layout, e);
    } catch (IOException e) {
      throw readFailed(name, e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * Writes what {@code in} holds into the new {@code file}. Reading is S3's part (a failure is
   * worth retrying); writing is local (disk full, permissions: retrying cannot help).
   */
  private void write(InputStream in, Path file, MessageDigest digest, String name, long cap)
      throws ModelStoreException {
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      for (int n = read(in, buffer, name); n >= 0; n = read(in, buffer, name)) {
        total += n;
        if (total > cap) {
          throw tooLarge(name, cap);
        }
        digest.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw failed(
          "cannot write "
              + file
              + " ("
              + e
              + "); free space or fix the permissions there, or set glimpse.model.cache.dir"
              + " (GLIMPSE_MODEL_CACHE_DIR) to another directory",
          e);
    }
  }

  private int read(InputStream in, byte[] buffer, String name) throws StoreUnavailableException {
    try {
      return in.read(buffer);
    } catch (IOException e) {
      throw readFailed(name, e);
    }
  }

  private StoreUnavailableException readFailed(String name, IOException e) {
    return new StoreUnavailableException(
        describe() + ": reading " + name + " failed (" + e + "); retrying", e);
  }

  private static long size(Path file) throws ModelStoreException {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new ModelStoreException("cannot read the size of " + file + ": " + e, e);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private ModelStoreException tooLarge(String name, long cap) {
    return failed(
        name
            + " is larger than the "
            + cap
            + "-byte cap; if the model really is that big, raise the store's maxFileBytes",
        null);
  }

  private String describe() {
    return "cannot fetch "
        + version.modelName()
        + " v"
        + version.version()
        + " from "
        + version.uri();
  }

  private ModelStoreException failed(String reason, Throwable cause) {
    String message = describe() + ": " + reason;
    return cause == null
        ? new ModelStoreException(message)
        : new ModelStoreException(message, cause);
  }
}
