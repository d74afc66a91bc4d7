package io.glimpse.model.artifact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Names fixed by the artifact format, and the artifact's identity: its manifest's sha256. */
public final class ModelArtifact {

  /** The manifest's file name. */
  public static final String MANIFEST_FILE = "manifest.json";

  /** The labels' file name: one label per line, UTF-8, in output order. */
  public static final String LABELS_FILE = "labels.txt";

  /** Manifests are small; anything bigger is not one. */
  static final long MAX_MANIFEST_BYTES = 1024 * 1024;

  private ModelArtifact() {}

  /**
   * Returns the sha256 of an artifact directory's {@code manifest.json}. Because the manifest pins
   * the sha256 of every other file, this one hash identifies the whole artifact: it is what {@code
   * ModelVersion.sha256} and {@code ModelDeployment.sha256} carry, and what {@link
   * ModelArtifactLoader.Builder#optExpectedManifestSha256(String)} checks.
   *
   * @param artifactDir an artifact directory (not an archive)
   * @return lower-case hex sha256 of the manifest's bytes
   * @throws ModelArtifactException when there is no readable manifest, or it is a link
   */
  public static String manifestSha256(Path artifactDir) throws ModelArtifactException {
    Path manifest = artifactDir.resolve(MANIFEST_FILE);
    if (!Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)) {
      throw new ModelArtifactException(
          "no "
              + MANIFEST_FILE
              + " (as a regular file) in "
              + artifactDir
              + "; pass an artifact directory written by ModelArtifactWriter");
    }
    try {
      return ArtifactFiles.sha256(ArtifactFiles.read(manifest, MAX_MANIFEST_BYTES));
    } catch (IOException e) {
      throw new ModelArtifactException("cannot read " + manifest + ": " + e.getMessage(), e);
    }
  }
}
