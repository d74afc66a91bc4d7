package io.glimpse.model.store;

import io.glimpse.model.artifact.ModelArtifact;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.model.files.FileTrees;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one version into a {@link FileModelStore}: copied into a hidden temporary sibling, synced
 * to disk, and renamed into place in one step, so readers see all of it or none, and of two writers
 * of the same version exactly one wins.
 */
final class VersionWriter {

  private static final Logger logger = LoggerFactory.getLogger(VersionWriter.class);

  private final StoreLayout layout;

  VersionWriter(StoreLayout layout) {
    this.layout = layout;
  }

  URI put(Path artifactDirectory, String modelName, String version) throws ModelStoreException {
    Path target = layout.versionDirectory(modelName, version);
    requireMatchingManifest(artifactDirectory, modelName, version);
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw exists(modelName, version, target);
    }
    Path modelDir = target.getParent();
    Path staging = null;
    try {
      Files.createDirectories(modelDir);
      if (Files.isSymbolicLink(modelDir)) {
        throw new ModelStoreException(
            modelDir + " is a symbolic link; a store holds real directories only, remove the link");
      }
      staging = Files.createTempDirectory(modelDir, "." + version + ".tmp-");
      StoreFiles.copyArtifact(artifactDirectory, staging);
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      staging = null;
      StoreFiles.sync(modelDir);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      throw exists(modelName, version, target);
    } catch (IOException e) {
      throw new ModelStoreException(
          "cannot store " + modelName + " v" + version + " in " + layout.root() + ": " + e, e);
    } finally {
      FileTrees.deleteQuietly(staging);
    }
    logger.info("Stored {} v{} at {}", modelName, version, target);
    return target.toUri();
  }

  /** Checks that {@code artifact} is an artifact of {@code modelName} v{@code version}. */
  static void requireMatchingManifest(Path artifact, String modelName, String version)
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
}
