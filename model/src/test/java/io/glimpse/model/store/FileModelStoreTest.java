package io.glimpse.model.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.ModelArtifact;
import io.glimpse.model.mobilenet.UntrainedModels;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file store: layout, immutability, atomicity, version numbering and opening. */
class FileModelStoreTest {

  @TempDir static Path artifacts;
  @TempDir Path root;

  @BeforeAll
  static void writeArtifacts() throws Exception {
    for (String version : List.of("1", "2", "10")) {
      UntrainedModels.write(
          artifacts.resolve(version),
          "fashion",
          version,
          0.25f,
          new InputShape(1, 32, 32),
          UntrainedModels.numberedLabels(3),
          1);
    }
  }

  @Test
  void storesVersionsUnderModelAndVersionAndListsThemInOrder() throws Exception {
    FileModelStore store = new FileModelStore(root);
    assertThat(store.nextVersion("fashion")).isEqualTo("1");

    URI uri = store.put(artifacts.resolve("2"), "fashion", "2");
    store.put(artifacts.resolve("10"), "fashion", "10");
    store.put(artifacts.resolve("1"), "fashion", "1");

    assertThat(uri).isEqualTo(root.resolve("fashion/2").toUri());
    assertThat(uri.toString()).startsWith("file:///").endsWith("/fashion/2/");
    assertThat(ModelArtifact.manifestSha256(Path.of(uri)))
        .isEqualTo(ModelArtifact.manifestSha256(artifacts.resolve("2")));
    assertThat(store.list("fashion"))
        .extracting(StoredVersion::version)
        .containsExactly("1", "2", "10");
    assertThat(store.get("fashion", "10")).isPresent();
    assertThat(store.get("fashion", "3")).isEmpty();
    assertThat(store.nextVersion("fashion")).isEqualTo("11");
    assertThat(store.list("other")).isEmpty();
  }

  @Test
  void aStoredVersionIsNeverReplaced() throws Exception {
    FileModelStore store = new FileModelStore(root);
    store.put(artifacts.resolve("1"), "fashion", "1");
    byte[] before = Files.readAllBytes(root.resolve("fashion/1/manifest.json"));

    assertThatThrownBy(() -> store.put(artifacts.resolve("1"), "fashion", "1"))
        .isInstanceOf(ModelStoreException.class)
        .hasMessageContaining("already exists")
        .hasMessageContaining("immutable");
    assertThat(Files.readAllBytes(root.resolve("fashion/1/manifest.json"))).isEqualTo(before);
  }

  @Test
  void ofTwoConcurrentWritersOfOneVersionExactlyOneSucceeds() throws Exception {
    FileModelStore store = new FileModelStore(root);
    CountDownLatch start = new CountDownLatch(1);
    Callable<Boolean> put =
        () -> {
          start.await();
          try {
            store.put(artifacts.resolve("2"), "fashion", "2");
            return true;
          } catch (ModelStoreException e) {
            return false;
          }
        };
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        results.add(pool.submit(put));
      }
      start.countDown();
      int succeeded = 0;
      for (Future<Boolean> result : results) {
        succeeded += result.get() ? 1 : 0;
      }
      assertThat(succeeded).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(hiddenEntries(root.resolve("fashion"))).isEmpty();
  }

  @Test
  void aFailedWriteLeavesNothingBehind() throws Exception {
    Path broken = root.resolve("broken");
    copy(artifacts.resolve("1"), broken);
    Files.createDirectory(broken.resolve("nested")); // artifacts are flat: the copy fails here
    Path storeRoot = root.resolve("store");
    FileModelStore store = new FileModelStore(storeRoot);

    assertThatThrownBy(() -> store.put(broken, "fashion", "1"))
        .isInstanceOf(ModelStoreException.class)
        .hasMessageContaining("not a regular file");
    assertThat(store.list("fashion")).isEmpty();
    assertThat(hiddenEntries(storeRoot.resolve("fashion"))).isEmpty();
  }

  @Test
  void anArtifactIsStoredOnlyUnderTheNameAndVersionOfItsManifest() {
    FileModelStore store = new FileModelStore(root);
    assertThatThrownBy(() -> store.put(artifacts.resolve("1"), "fashion", "7"))
        .isInstanceOf(ModelStoreException.class)
        .hasMessageContaining("holds fashion v1, not fashion v7");
    assertThatThrownBy(() -> store.put(artifacts.resolve("1"), "../escape", "1"))
        .isInstanceOf(ModelStoreException.class)
        .hasMessageContaining("model name");
  }

  @Test
  void opensFileUrisAndPlainPathsAndRefusesOtherSchemes() throws Exception {
    assertThat(ModelStores.open(root.toUri().toString()).uri()).isEqualTo(root.toUri());
    assertThat(ModelStores.open(root.toString()).uri()).isEqualTo(root.toUri());
    assertThatThrownBy(() -> ModelStores.open("gs://bucket/models"))
        .isInstanceOf(ModelStoreException.class)
        .hasMessageContaining("file://")
        .hasMessageContaining("s3://");
  }

  private static List<Path> hiddenEntries(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(p -> p.getFileName().toString().startsWith(".")).toList();
    }
  }

  private static void copy(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.toList()) {
        Files.copy(file, to.resolve(file.getFileName()));
      }
    }
  }
}
