package io.glimpse.model.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.glimpse.model.artifact.LoadedModel;
import io.glimpse.model.artifact.ModelArtifact;
import io.glimpse.model.artifact.ModelArtifactLoader;
import io.glimpse.model.artifact.ModelManifest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching a version into a private directory: a bounded, complete copy, or nothing. */
class FileModelStoreFetchTest {

  @TempDir static Path artifacts;
  private static Path fashion1;

  @TempDir Path dir;
  private Path root;
  private Path target;
  private FileModelStore store;
  private StoredVersion v1;

  @BeforeAll
  static void writeArtifacts() throws Exception {
    fashion1 = Artifacts.write(artifacts, "fashion", "1");
  }

  @BeforeEach
  void storeOneVersion() throws Exception {
    root = dir.resolve("store");
    target = dir.resolve("private");
    store = new FileModelStore(root);
    v1 = store.resolve(store.put(fashion1, "fashion", "1"));
  }

  @Test
  void theCopyIsWhatTheLoaderVerifiesAndLoads() throws Exception {
    String sha256 = ModelArtifact.manifestSha256(fashion1);

    Path copy = store.fetch(v1, target);
    Files.writeString(root.resolve("fashion/1/labels.txt"), "changed in the store afterwards\n");

    assertThat(copy).isEqualTo(target);
    if (target.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)))
          .isEqualTo("rwx------");
    }
    ModelArtifactLoader loader =
        ModelArtifactLoader.builder().optExpectedManifestSha256(sha256).build();
    try (LoadedModel model = loader.load(copy)) {
      assertThat(model.getManifest().getVersion()).isEqualTo("1");
    }
  }

  @Test
  void refusesASymbolicLinkAndLeavesNoCopy() throws Exception {
    Path labels = root.resolve("fashion/1/labels.txt");
    Path outside = Files.writeString(dir.resolve("secret.txt"), "not part of the model\n");
    Files.delete(labels);
    Files.createSymbolicLink(labels, outside);

    assertFetchFails(v1, "labels.txt is a symbolic link");
  }

  @Test
  void refusesAnythingButRegularFiles() throws Exception {
    Files.createDirectory(root.resolve("fashion/1/nested"));

    assertFetchFails(v1, "nested is not a regular file");
  }

  @Test
  void refusesAFileOverTheCapAndNamesIt() throws Exception {
    ModelManifest manifest =
        ModelManifest.fromJson(Files.readAllBytes(fashion1.resolve("manifest.json")));
    String parameters = manifest.getParametersFile().orElseThrow();
    long cap =
        Math.max(
            Files.size(fashion1.resolve("manifest.json")),
            Files.size(fashion1.resolve("labels.txt")));
    assumeTrue(Files.size(fashion1.resolve(parameters)) > cap);
    store = new FileModelStore(root, cap);

    assertFetchFails(v1, parameters + " is larger than the " + cap + "-byte cap");
  }

  @Test
  void aVersionWithAMissingFileIsAPartialCopy() throws Exception {
    Files.delete(root.resolve("fashion/1/labels.txt"));

    assertFetchFails(v1, "partial copy: labels.txt is listed in manifest.json but missing");
  }

  @Test
  void refusesAVersionWithoutItsManifest() throws Exception {
    Files.delete(root.resolve("fashion/1/manifest.json"));

    assertFetchFails(v1, "partial copy");
  }

  @Test
  void neverWritesIntoAnExistingDirectory() throws Exception {
    Files.createDirectory(target);
    Path mine = Files.writeString(target.resolve("mine.txt"), "keep me");

    assertThatThrownBy(() -> store.fetch(v1, target))
        .isInstanceOf(ModelStoreException.class)
        .hasMessageContaining("already exists");
    assertThat(mine).hasContent("keep me");
  }

  @Test
  void refusesAVersionThatIsNotWhereItsUriPoints() throws Exception {
    FileModelStore other = new FileModelStore(dir.resolve("other"));
    URI elsewhere = other.put(fashion1, "fashion", "1");

    assertFetchFails(new StoredVersion("fashion", "1", elsewhere), "not inside the store");
    assertFetchFails(new StoredVersion("fashion", "2", v1.uri()), "is not where fashion v2");
  }

  private void assertFetchFails(StoredVersion version, String reason) {
    assertThatThrownBy(() -> store.fetch(version, target))
        .isInstanceOf(ModelStoreException.class)
        .hasMessageContaining(version.uri().toString())
        .hasMessageContaining(reason);
    assertThat(target).doesNotExist();
  }
}
