package io.glimpse.model.artifact;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Verifies an artifact directory in plain Java, before any of its bytes reach libtorch: only
 * regular files, none over the cap, the manifest's own sha256 if one is expected, a valid and
 * complete manifest, exactly the files it lists with exactly their checksums, and a labels file
 * that agrees with it.
 */
final class ArtifactVerifier {

  private ArtifactVerifier() {}

  /**
   * A directory that passed every check.
   *
   * @param dir the artifact directory
   * @param manifest its manifest
   * @param manifestSha256 the manifest's sha256
   * @param parametersFile the verified parameter file
   */
  record Verified(Path dir, ModelManifest manifest, String manifestSha256, Path parametersFile) {}

  static Verified verify(Path dir, long maxFileBytes, String expectedManifestSha256)
      throws ModelArtifactException {
    try {
      Map<String, Path> files = ArtifactFiles.listRegularFiles(dir);
      Path manifestFile = files.get(ModelArtifact.MANIFEST_FILE);
      if (manifestFile == null) {
        throw new ModelArtifactException(
            "missing "
                + ModelArtifact.MANIFEST_FILE
                + " in "
                + dir
                + "; pass an artifact written by ModelArtifactWriter");
      }
      for (Path file : files.values()) {
        if (Files.size(file) > maxFileBytes) {
          throw ArtifactFiles.tooLarge(file, maxFileBytes);
        }
      }
      long manifestCap = Math.min(maxFileBytes, ModelArtifact.MAX_MANIFEST_BYTES);
      byte[] manifestBytes = ArtifactFiles.read(manifestFile, manifestCap);
      String manifestSha256 = ArtifactFiles.sha256(manifestBytes);
      checkExpected(manifestSha256, expectedManifestSha256);
      ModelManifest manifest = ModelManifest.fromJson(manifestBytes);
      checkFiles(manifest, files, maxFileBytes);
      checkLabels(manifest, files.get(ModelArtifact.LABELS_FILE), maxFileBytes);
      Path parameters = files.get(manifest.getParametersFile().orElseThrow());
      return new Verified(dir, manifest, manifestSha256, parameters);
    } catch (IOException e) {
      throw new ModelArtifactException("cannot read artifact " + dir + ": " + e, e);
    }
  }

  private static void checkExpected(String actual, String expected) throws ModelArtifactException {
    if (expected != null && !expected.equals(actual)) {
      throw new ModelArtifactException(
          "manifest sha256 is "
              + actual
              + " but "
              + expected
              + " was expected: this is not the artifact that was registered (or it was changed"
              + " since); check the deployment's artifactUri and sha256");
    }
  }

  private static void checkFiles(ModelManifest manifest, Map<String, Path> files, long cap)
      throws IOException, ModelArtifactException {
    if (manifest.getParametersFile().isEmpty()) {
      throw new ModelArtifactException(
          "manifest lists no parameters file; was the artifact written by ModelArtifactWriter?");
    }
    Set<String> present = new TreeSet<>(files.keySet());
    present.remove(ModelArtifact.MANIFEST_FILE);
    for (String listed : manifest.getFiles().keySet()) {
      if (!present.remove(listed)) {
        throw new ModelArtifactException(
            "missing file "
                + listed
                + ": the manifest lists it but the artifact does not have"
                + " it; re-copy or re-publish the artifact");
      }
    }
    if (!present.isEmpty()) {
      throw new ModelArtifactException(
          "unlisted file(s) "
              + present
              + ": an artifact holds exactly the files its manifest"
              + " lists (DJL would load the newest *.params it finds); remove them");
    }
    for (Map.Entry<String, String> listed : manifest.getFiles().entrySet()) {
      String actual = ArtifactFiles.sha256(files.get(listed.getKey()), cap);
      if (!actual.equals(listed.getValue())) {
        throw new ModelArtifactException(
            "checksum mismatch for "
                + listed.getKey()
                + ": manifest says sha256 "
                + listed.getValue()
                + ", file has "
                + actual
                + "; the file is corrupt or was modified, re-copy or re-publish the artifact");
      }
    }
  }

  private static void checkLabels(ModelManifest manifest, Path labelsFile, long cap)
      throws IOException, ModelArtifactException {
    byte[] bytes = ArtifactFiles.read(labelsFile, cap);
    if (!new String(bytes, StandardCharsets.UTF_8).lines().toList().equals(manifest.getLabels())) {
      throw new ModelArtifactException(
          ModelArtifact.LABELS_FILE
              + " does not hold the manifest's "
              + manifest.getLabels().size()
              + " labels, one per line in the same order; re-publish the artifact");
    }
  }
}
