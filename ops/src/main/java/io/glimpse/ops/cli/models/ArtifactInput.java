package io.glimpse.ops.cli.models;

import io.glimpse.model.artifact.ModelArchive;
import io.glimpse.model.artifact.ModelArtifact;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.artifact.ModelArtifactLoader;
import io.glimpse.model.artifact.ModelArtifactWriter;
import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.model.store.ModelStore;
import io.glimpse.model.store.ModelStoreException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns what {@code register} was given into one artifact directory to verify and store: a training
 * run's artifact directory (as it is, or a copy with another version), a {@code .zip} of one
 * (unpacked), or a TorchScript {@code .pt} file (with a manifest written from the options). Copies
 * go under a scratch directory the caller deletes; the input is never changed.
 */
final class ArtifactInput {

  private final Path input;
  private final String name;
  private final String version;

  /**
   * @param input the path given to {@code register}
   * @param name {@code --name}, or null
   * @param version {@code --version}, or null
   */
  ArtifactInput(Path input, String name, String version) {
    this.input = input;
    this.name = name;
    this.version = version;
  }

  /** Whether the input is a TorchScript file, which needs the TorchScript options. */
  boolean isTorchScript() {
    return Files.isRegularFile(input) && lowerName().endsWith(".pt");
  }

  /**
   * Returns the artifact directory to register.
   *
   * @param torchScript the manifest options, for a {@code .pt}
   * @param store the store, for the next version of a {@code .pt}
   * @param scratch an empty directory for copies
   * @throws ModelArtifactException when the input is not an artifact, or cannot be copied
   * @throws ModelStoreException when the store cannot be read
   * @throws IOException when the labels file cannot be read
   * @throws IllegalArgumentException when an option does not fit the input
   */
  Path stage(TorchScriptOptions torchScript, ModelStore store, Path scratch)
      throws ModelArtifactException, ModelStoreException, IOException {
    Path target = scratch.resolve("artifact");
    if (isTorchScript()) {
      if (name == null) {
        throw new IllegalArgumentException("a .pt file needs --name (it has no manifest)");
      }
      String v = version != null ? version : store.nextVersion(name);
      ModelArtifactWriter.writeTorchScript(input, torchScript.manifest(name, v), target);
      return target;
    }
    if (torchScript.anyGiven()) {
      throw new IllegalArgumentException(
          "--labels, --input-size, --channels, --mean, --std, --width and --metric are for a .pt"
              + " file; an artifact carries them in its manifest.json");
    }
    Path dir = input;
    if (Files.isRegularFile(input) && lowerName().endsWith(".zip")) {
      dir = scratch.resolve("unpacked");
      ModelArchive.unpack(input, dir, ModelArtifactLoader.DEFAULT_MAX_FILE_BYTES);
    } else if (!Files.isDirectory(input)) {
      throw new ModelArtifactException(
          input
              + " is not an artifact directory, a .zip of one, or a TorchScript .pt file"
              + (Files.exists(input) ? "" : " (it does not exist)"));
    }
    ModelManifest manifest = manifestOf(dir);
    if (name != null && !name.equals(manifest.getName())) {
      throw new IllegalArgumentException(
          "the artifact is "
              + manifest.getName()
              + " v"
              + manifest.getVersion()
              + ", not "
              + name
              + "; an artifact keeps its model name (its parameter file is named after it), omit"
              + " --name");
    }
    if (version == null || version.equals(manifest.getVersion())) {
      return dir;
    }
    return copyAsVersion(dir, manifest, target);
  }

  private static ModelManifest manifestOf(Path dir) throws ModelArtifactException {
    ModelArtifact.manifestSha256(dir); // a regular, bounded manifest.json must be there
    try {
      return ModelManifest.fromJson(Files.readAllBytes(dir.resolve(ModelArtifact.MANIFEST_FILE)));
    } catch (IOException e) {
      throw new ModelArtifactException("cannot read the manifest in " + dir + ": " + e, e);
    }
  }

  /** The artifact's files with the manifest's version replaced; the other files are pinned. */
  private Path copyAsVersion(Path dir, ModelManifest manifest, Path target)
      throws ModelArtifactException {
    try {
      Files.createDirectory(target);
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
        for (Path file : files) {
          if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new ModelArtifactException(
                file + " is not a regular file; an artifact holds regular files only");
          }
          if (!file.getFileName().toString().equals(ModelArtifact.MANIFEST_FILE)) {
            Files.copy(file, target.resolve(file.getFileName()), LinkOption.NOFOLLOW_LINKS);
          }
        }
      }
      Files.write(
          target.resolve(ModelArtifact.MANIFEST_FILE),
          manifest.toBuilder().setVersion(version).build().toJson());
      return target;
    } catch (IOException e) {
      throw new ModelArtifactException(
          "cannot copy " + dir + " as version " + version + ": " + e, e);
    }
  }

  private String lowerName() {
    Path file = input.getFileName();
    return file == null ? "" : file.toString().toLowerCase(Locale.ROOT);
  }
}
