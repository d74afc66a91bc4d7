package io.glimpse.model.store;

import io.glimpse.model.artifact.ModelArtifact;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.artifact.ModelManifest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ModelStore} on a file system ({@code file://} URIs): {@code <root>/<model>/<version>/}.
 * A version is copied into a hidden temporary sibling, synced to disk, checked, and renamed into
 * place in one step; an existing version is never replaced, and two writers of the same version
 * cannot both succeed (the second rename fails on the first one's directory).
 */
public final class FileModelStore implements ModelStore {

  private static final Logger logger = LoggerFactory.getLogger(FileModelStore.class);
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final Path root;

  /**
   * Creates a store rooted at a directory, created on the first write.
   *
   * @param root the store's directory
   */
  public FileModelStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
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
              + " is not a file:// URI; only file:// stores exist today, e.g."
              + " file:///var/glimpse/models");
    }
    try {
      return new FileModelStore(Path.of(uri));
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
    return root.toUri();
  }

  @Override
  public URI put(Path artifactDirectory, String modelName, String version)
      throws ModelStoreException {
    requireId("model name", modelName);
    requireId("version", version);
    requireMatchingManifest(artifactDirectory, modelName, version);
    Path target = versionDirectory(modelName, version);
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw exists(modelName, version, target);
    }
    Path staging = null;
    try {
      Files.createDirectories(target.getParent());
      staging = Files.createTempDirectory(target.getParent(), "." + version + ".tmp-");
      StoreFiles.copyArtifact(artifactDirectory, staging);
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      staging = null;
      StoreFiles.sync(target.getParent());
    } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
      throw exists(modelName, version, target);
    } catch (IOException e) {
      throw new ModelStoreException(
          "cannot store " + modelName + " v" + version + " in " + root + ": " + e, e);
    } finally {
      StoreFiles.deleteQuietly(staging);
    }
    logger.info("Stored {} v{} at {}", modelName, version, target);
    return target.toUri();
  }

  @Override
  public List<StoredVersion> list(String modelName) throws ModelStoreException {
    requireId("model name", modelName);
    Path modelDir = root.resolve(modelName);
    if (!Files.isDirectory(modelDir)) {
      return List.of();
    }
    List<StoredVersion> versions = new ArrayList<>();
    try (Stream<Path> entries = Files.list(modelDir)) {
      for (Path dir : entries.filter(Files::isDirectory).toList()) {
        String version = dir.getFileName().toString();
        if (ID.matcher(version).matches()) {
          versions.add(new StoredVersion(modelName, version, dir.toUri()));
        }
      }
    } catch (IOException e) {
      throw new ModelStoreException("cannot list " + modelDir + ": " + e, e);
    }
    versions.sort(Comparator.comparing(StoredVersion::version, FileModelStore::compareVersions));
    return versions;
  }

  @Override
  public Optional<StoredVersion> get(String modelName, String version) throws ModelStoreException {
    requireId("model name", modelName);
    requireId("version", version);
    Path dir = versionDirectory(modelName, version);
    return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
        ? Optional.of(new StoredVersion(modelName, version, dir.toUri()))
        : Optional.empty();
  }

  private Path versionDirectory(String modelName, String version) {
    return root.resolve(modelName).resolve(version);
  }

  private static void requireMatchingManifest(Path artifact, String modelName, String version)
      throws ModelStoreException {
    ModelManifest manifest;
    try {
      ModelArtifact.manifestSha256(artifact); // a regular manifest.json must be there
      manifest =
          ModelManifest.fromJson(Files.readAllBytes(artifact.resolve(ModelArtifact.MANIFEST_FILE)));
    } catch (ModelArtifactException | IOException e) {
      throw new ModelStoreException(
          "cannot store " + artifact + ", it is not a model artifact: " + e.getMessage(), e);
    }
    if (!manifest.getName().equals(modelName) || !manifest.getVersion().equals(version)) {
      throw new ModelStoreException(
          artifact
              + " holds "
              + manifest.getName()
              + " v"
              + manifest.getVersion()
              + ", not "
              + modelName
              + " v"
              + version
              + "; store it under the name and version its manifest records");
    }
  }

  private static ModelStoreException exists(String modelName, String version, Path target) {
    return new ModelStoreException(
        modelName
            + " v"
            + version
            + " already exists at "
            + target
            + "; versions are immutable, publish a new version");
  }

  private static void requireId(String what, String value) throws ModelStoreException {
    if (value == null || !ID.matcher(value).matches()) {
      throw new ModelStoreException(
          what + " must be 1-128 letters, digits, '.', '_' or '-', got \"" + value + "\"");
    }
  }

  /** Integers numerically and before other versions, which sort by name. */
  static int compareVersions(String a, String b) {
    boolean aNumber = a.matches("\\d{1,18}");
    boolean bNumber = b.matches("\\d{1,18}");
    if (aNumber && bNumber) {
      return Long.compare(Long.parseLong(a), Long.parseLong(b));
    }
    if (aNumber != bNumber) {
      return aNumber ? -1 : 1;
    }
    return a.compareTo(b);
  }
}
