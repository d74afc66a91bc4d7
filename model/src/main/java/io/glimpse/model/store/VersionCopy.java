package io.glimpse.model.store;

import io.glimpse.model.artifact.ModelArtifact;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.model.files.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Copies a stored version into a new private directory, bounded (regular files only, none over the
 * cap, at most {@link #MAX_FILES}) and checked for completeness against the copied manifest. Files
 * are opened without following links, so a file swapped for a link during the copy is refused too.
 */
final class VersionCopy {

  /** An artifact holds three files; a directory with far more is not one. */
  static final int MAX_FILES = 64;

  /** Manifests are small; anything bigger is not one. */
  private static final int MAX_MANIFEST_BYTES = 1024 * 1024;

  private final StoredVersion version;
  private final long maxFileBytes;

  VersionCopy(StoredVersion version, long maxFileBytes) {
    this.version = version;
    this.maxFileBytes = maxFileBytes;
  }

  /** Copies {@code source} into {@code target}, which this creates; removes it on failure. */
  Path copy(Path source, Path target) throws ModelStoreException {
    createPrivateDirectory(target);
    boolean done = false;
    try {
      copyFiles(source, target);
      checkComplete(target);
      done = true;
      return target;
    } finally {
      if (!done) {
        FileTrees.deleteQuietly(target);
      }
    }
  }

  private void createPrivateDirectory(Path target) throws ModelStoreException {
    try {
      if (target.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createDirectory(
            target,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectory(target);
      }
    } catch (FileAlreadyExistsException e) {
      throw failed(
          target + " already exists; fetch into a new directory, never an existing one", e);
    } catch (IOException e) {
      throw failed("cannot create " + target + " (" + e + "); its parent must exist", e);
    }
  }

  private void copyFiles(Path source, Path target) throws ModelStoreException {
    int count = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(source)) {
      for (Path entry : entries) {
        if (++count > MAX_FILES) {
          throw failed(source + " holds over " + MAX_FILES + " entries; it is not an artifact");
        }
        requireRegularFile(entry);
        copyFile(entry, target.resolve(entry.getFileName().toString()));
      }
    } catch (IOException e) {
      throw failed(StoreFiles.describe(source, e), e);
    } catch (DirectoryIteratorException e) {
      throw failed(StoreFiles.describe(source, e.getCause()), e.getCause());
    }
  }

  private void requireRegularFile(Path file) throws IOException, ModelStoreException {
    BasicFileAttributes attrs =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (attrs.isSymbolicLink() || !attrs.isRegularFile()) {
      throw failed(
          file.getFileName()
              + " is "
              + (attrs.isSymbolicLink() ? "a symbolic link" : "not a regular file")
              + "; a stored version holds regular files only, re-publish it");
    }
    if (attrs.size() > maxFileBytes) {
      throw tooLarge(file);
    }
  }

  /** Streams one file across, counting, since it may still grow while it is read. */
  private void copyFile(Path file, Path copy) throws IOException, ModelStoreException {
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
        OutputStream out = Files.newOutputStream(copy, StandardOpenOption.CREATE_NEW)) {
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        total += n;
        if (total > maxFileBytes) {
          throw tooLarge(file);
        }
        out.write(buffer, 0, n);
      }
    }
  }

  private void checkComplete(Path copy) throws ModelStoreException {
    ModelManifest manifest = readManifest(copy);
    if (!manifest.getName().equals(version.modelName())
        || !manifest.getVersion().equals(version.version())) {
      throw failed(
          "its manifest names " + manifest.getName() + " v" + manifest.getVersion() + " instead");
    }
    for (String listed : manifest.getFiles().keySet()) {
      if (!Files.isRegularFile(copy.resolve(listed), LinkOption.NOFOLLOW_LINKS)) {
        throw failed(
            "partial copy: "
                + listed
                + " is listed in "
                + ModelArtifact.MANIFEST_FILE
                + " but missing; re-copy the version into the store or re-publish it");
      }
    }
  }

  private ModelManifest readManifest(Path copy) throws ModelStoreException {
    Path file = copy.resolve(ModelArtifact.MANIFEST_FILE);
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      byte[] bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
      if (bytes.length > MAX_MANIFEST_BYTES) {
        throw failed(ModelArtifact.MANIFEST_FILE + " is over " + MAX_MANIFEST_BYTES + " bytes");
      }
      return ModelManifest.fromJson(bytes);
    } catch (IOException e) {
      throw failed("partial copy: " + StoreFiles.describe(file, e), e);
    } catch (ModelArtifactException e) {
      throw failed(
          ModelArtifact.MANIFEST_FILE
              + " is not a valid manifest ("
              + e.getMessage()
              + "); re-copy the version into the store or re-publish it",
          e);
    }
  }

  private ModelStoreException tooLarge(Path file) {
    return failed(
        file.getFileName()
            + " is larger than the "
            + maxFileBytes
            + "-byte cap; if the model really is that big, raise the store's maxFileBytes");
  }

  private ModelStoreException failed(String reason) {
    return failed(reason, null);
  }

  private ModelStoreException failed(String reason, Throwable cause) {
    String message =
        "cannot fetch "
            + version.modelName()
            + " v"
            + version.version()
            + " from "
            + version.uri()
            + ": "
            + reason;
    return cause == null
        ? new ModelStoreException(message)
        : new ModelStoreException(message, cause);
  }
}
