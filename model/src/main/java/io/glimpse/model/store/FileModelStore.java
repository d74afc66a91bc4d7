package io.glimpse.model.store;

import io.glimpse.model.artifact.ModelArtifact;
import io.glimpse.model.artifact.ModelArtifactLoader;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ModelStore} on a file system ({@code file://} URIs): {@code <root>/<model>/<version>/}.
 * A version is copied into a hidden temporary sibling, synced to disk, checked, and renamed into
 * place in one step; an existing version is never replaced, and two writers of the same version
 * cannot both succeed (the second rename fails on the first one's directory). Reading never follows
 * a link below the root, and never takes "cannot read" for "absent".
 */
public final class FileModelStore implements ModelStore {

  private static final Logger logger = LoggerFactory.getLogger(FileModelStore.class);

  private final StoreLayout layout;
  private final long maxFileBytes;

  /**
   * Creates a store rooted at a directory, created on the first write, that fetches files up to
   * {@link ModelArtifactLoader#DEFAULT_MAX_FILE_BYTES}.
   *
   * @param root the store's directory
   */
  public FileModelStore(Path root) {
    this(root, ModelArtifactLoader.DEFAULT_MAX_FILE_BYTES);
  }

  /**
   * Creates a store rooted at a directory, created on the first write.
   *
   * @param root the store's directory
   * @param maxFileBytes the largest file {@link #fetch} copies; keep it at most the loader's cap
   * @throws IllegalArgumentException when the cap is not positive
   */
  public FileModelStore(Path root, long maxFileBytes) {
    if (maxFileBytes <= 0) {
      throw new IllegalArgumentException("maxFileBytes must be positive, got " + maxFileBytes);
    }
    this.layout = new StoreLayout(root);
    this.maxFileBytes = maxFileBytes;
  }

  /**
   * Opens a store from its URI.
   *
   * @param uri a {@code file:} URI, e.g. {@code file:///var/glimpse/models}
   * @return the store
   * @throws ModelStoreException for any other scheme
   */
  public static FileModelStore open(URI uri) throws ModelStoreException {
    if (!"file".equalsIgnoreCase(uri.getScheme())) {
      throw new ModelStoreException(
          "model store "
              + uri
              + " is neither a file:// nor an s3:// URI, e.g. file:///var/glimpse/models or"
              + " s3://glimpse-models/prod");
    }
    try {
      return new FileModelStore(Path.of(URI.create(uri.toASCIIString())));
    } catch (IllegalArgumentException e) {
      throw new ModelStoreException(
          "model store "
              + uri
              + " is not a usable file URI ("
              + e.getMessage()
              + "); write an absolute one with three slashes, e.g. file:///var/glimpse/models",
          e);
    }
  }

  @Override
  public URI uri() {
    return layout.rootUri();
  }

  @Override
  public URI put(Path artifactDirectory, String modelName, String version)
      throws ModelStoreException {
    return new VersionWriter(layout).put(artifactDirectory, modelName, version);
  }

  @Override
  public List<StoredVersion> list(String modelName) throws ModelStoreException {
    Path modelDir = layout.modelDirectory(modelName);
    List<StoredVersion> versions = new ArrayList<>();
    try {
      BasicFileAttributes attrs = StoreFiles.attributes(modelDir, false);
      if (attrs == null) {
        return List.of(); // a new model, or a store not written yet
      }
      if (!attrs.isDirectory()) {
        throw new ModelStoreException(
            modelDir + " is not a directory (or is a link); a store holds real directories only");
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(modelDir)) {
        for (Path dir : entries) {
          String version = dir.getFileName().toString();
          if (StoreLayout.isId(version) && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            versions.add(new StoredVersion(modelName, version, dir.toUri()));
          }
        }
      }
    } catch (IOException e) {
      throw unreadable("cannot list " + modelName + " in " + uri(), modelDir, e);
    } catch (DirectoryIteratorException e) {
      throw unreadable("cannot list " + modelName + " in " + uri(), modelDir, e.getCause());
    }
    versions.sort(Comparator.comparing(StoredVersion::version, StoreLayout::compareVersions));
    return versions;
  }

  @Override
  public Optional<StoredVersion> get(String modelName, String version) throws ModelStoreException {
    Path dir = layout.versionDirectory(modelName, version);
    BasicFileAttributes attrs;
    try {
      attrs = StoreFiles.attributes(dir, false);
    } catch (IOException e) {
      throw unreadable("cannot look up " + modelName + " v" + version, dir, e);
    }
    return attrs != null && attrs.isDirectory()
        ? Optional.of(new StoredVersion(modelName, version, dir.toUri()))
        : Optional.empty();
  }

  @Override
  public StoredVersion resolve(URI artifactUri) throws ModelStoreException {
    Path dir = checkedVersionDirectory(artifactUri);
    return new StoredVersion(
        dir.getParent().getFileName().toString(), dir.getFileName().toString(), dir.toUri());
  }

  @Override
  public Path fetch(StoredVersion version, Path target) throws ModelStoreException {
    Path dir = checkedVersionDirectory(version.uri());
    if (!dir.equals(layout.versionDirectory(version.modelName(), version.version()))) {
      throw new ModelStoreException(
          version.uri()
              + " is not where "
              + version.modelName()
              + " v"
              + version.version()
              + " is stored; fetch a version that resolve or get returned");
    }
    Path copy = new VersionCopy(version, maxFileBytes).copy(dir, target);
    logger.debug("Fetched {} v{} into {}", version.modelName(), version.version(), copy);
    return copy;
  }

  /** The directory a URI names, inside the store and holding a manifest. */
  private Path checkedVersionDirectory(URI uri) throws ModelStoreException {
    Path dir = layout.locate(uri);
    Path manifest = dir.resolve(ModelArtifact.MANIFEST_FILE);
    BasicFileAttributes attrs;
    try {
      attrs = StoreFiles.attributes(manifest, false);
    } catch (IOException e) {
      throw unreadable("cannot read artifact URI " + uri, manifest, e);
    }
    if (attrs == null || !attrs.isRegularFile()) {
      throw new ModelStoreException(
          "artifact URI "
              + uri
              + " is a partial copy: it has no "
              + ModelArtifact.MANIFEST_FILE
              + " (as a regular file); re-copy the version into the store or re-publish it");
    }
    return dir;
  }

  private static ModelStoreException unreadable(String what, Path path, IOException e) {
    return new ModelStoreException(what + ": " + StoreFiles.describe(path, e), e);
  }
}
