package io.glimpse.model.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Resolving a deployment's artifact URI: inside the store only, percent-encoding honoured, and a
 * store that cannot be read reported as such.
 */
class FileModelStoreResolveTest {

  @TempDir static Path artifacts;
  private static Path fashion1;

  @TempDir Path dir;
  private Path root;
  private FileModelStore store;
  private URI v1;

  @BeforeAll
  static void writeArtifacts() throws Exception {
    fashion1 = Artifacts.write(artifacts, "fashion", "1");
  }

  @BeforeEach
  void storeOneVersion() throws Exception {
    root = dir.resolve("store");
    store = new FileModelStore(root);
    v1 = store.put(fashion1, "fashion", "1");
  }

  @Test
  void resolvesTheUriThatPutReturned() throws Exception {
    StoredVersion expected = new StoredVersion("fashion", "1", v1);

    assertThat(store.resolve(v1)).isEqualTo(expected);
    assertThat(store.resolve(v1.toString())).isEqualTo(expected);
    assertThat(store.resolve(store.uri().resolve("fashion/1"))).isEqualTo(expected);
    assertThat(store.get("fashion", "1")).contains(expected);
  }

  @Test
  void resolvesUnderADirectoryWhoseNameNeedsPercentEncoding() throws Exception {
    Path odd = dir.resolve("my models 100% #1");
    ModelStore encoded = ModelStores.open(odd.toUri().toString());
    URI uri = encoded.put(fashion1, "fashion", "1");

    assertThat(uri.getRawPath()).contains("my%20models%20100%25%20%231/fashion/1/");
    assertThat(Path.of(uri)).isEqualTo(odd.resolve("fashion/1"));
    assertThat(encoded.resolve(uri.toString()).version()).isEqualTo("1");
    assertThat(encoded.resolve(encoded.uri().resolve("fashion/1/")).uri()).isEqualTo(uri);
    assertThatThrownBy(() -> encoded.resolve("file://" + odd + "/fashion/1/"))
        .isInstanceOf(ModelStoreException.class)
        .hasMessageContaining("is not a valid URI")
        .hasMessageContaining("%20");
  }

  @Test
  void resolvesNonAsciiNamesWrittenRawOrEscaped() throws Exception {
    assumeTrue("UTF-8".equals(System.getProperty("sun.jnu.encoding")), "file names need UTF-8");
    FileModelStore accented = new FileModelStore(dir.resolve("modèles"));
    URI escaped = accented.put(fashion1, "fashion", "1");
    URI raw = new URI("file", "", Path.of(escaped) + "/", null, null); // é as is, an IRI

    assertThat(escaped.getRawPath()).contains("mod%C3%A8les/fashion/1/");
    assertThat(raw.getRawPath()).contains("modèles/fashion/1/");
    assertThat(accented.resolve(raw).uri()).isEqualTo(escaped);
    assertThat(accented.resolve(escaped).uri()).isEqualTo(escaped);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "fashion/../fashion/1/ | '.' or '..'",
        "fashion/%2E%2E/fashion/1/ | '.' or '..'",
        "fashion/./1/ | '.' or '..'",
        "./ | '.' or '..'",
        "fashion/ | does not name <model>/<version>/",
        "fashion/1/manifest.json | does not name <model>/<version>/",
        "fashion/7/ | does not exist",
        "fashion/1/?x=1 | not a usable file URI",
      })
  void refusesUrisThatDoNotNameAVersionOfTheStore(String relative, String reason) {
    URI uri = URI.create(store.uri() + relative);
    assertThatThrownBy(() -> store.resolve(uri))
        .isInstanceOf(ModelStoreException.class)
        .hasMessageContaining(uri.toString())
        .hasMessageContaining(reason);
  }

  @Test
  void refusesUrisOutsideTheStore() throws Exception {
    FileModelStore other = new FileModelStore(dir.resolve("store-other"));
    URI elsewhere = other.put(fashion1, "fashion", "1");

    assertRefused(elsewhere, "not inside the store");
    assertRefused(URI.create(store.uri() + "../store-other/fashion/1/"), "'.' or '..'");
    assertRefused(URI.create("s3://bucket/store/fashion/1/"), "not a file: URI");
    assertRefused(URI.create("file://otherhost" + v1.getRawPath()), "not a usable file URI");
    assertRefused(URI.create("fashion/1/"), "not a file: URI");
  }

  @Test
  void refusesSymbolicLinksThatCouldLeadOutOfTheStore() throws Exception {
    FileModelStore other = new FileModelStore(dir.resolve("outside"));
    other.put(fashion1, "fashion", "1");
    Files.createSymbolicLink(root.resolve("fashion/2"), dir.resolve("outside/fashion/1"));
    Files.createSymbolicLink(root.resolve("linked"), dir.resolve("outside/fashion"));

    assertRefused(store.uri().resolve("fashion/2/"), "symbolic link");
    assertRefused(store.uri().resolve("linked/1/"), "symbolic link");
    assertThat(store.list("fashion")).extracting(StoredVersion::version).containsExactly("1");
    assertThatThrownBy(() -> store.list("linked"))
        .isInstanceOf(ModelStoreException.class)
        .hasMessageContaining("real directories only");
  }

  @Test
  void aMissingStoreDirectoryIsAnErrorToResolveButEmptyToList() throws Exception {
    FileModelStore missing = new FileModelStore(dir.resolve("missing"));

    assertThatThrownBy(() -> missing.resolve(missing.uri().resolve("fashion/1/")))
        .isInstanceOf(ModelStoreException.class)
        .hasMessageContaining(missing.uri().resolve("fashion/1/").toString())
        .hasMessageContaining("does not exist");
    assertThat(missing.uri().toString()).endsWith("/missing/");
    assertThat(missing.list("fashion")).isEmpty(); // a store the trainer has not written yet
    assertThat(missing.nextVersion("fashion")).isEqualTo("1");
  }

  @Test
  void aVersionWithoutItsManifestIsAPartialCopy() throws Exception {
    Files.delete(root.resolve("fashion/1/manifest.json"));

    assertRefused(v1, "partial copy");
  }

  @Test
  void aStoreThatDeniesReadingIsAnErrorNotAnAbsence() throws Exception {
    assumeTrue(root.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path model = root.resolve("fashion");
    Set<PosixFilePermission> before = Files.getPosixFilePermissions(model);
    Files.setPosixFilePermissions(model, PosixFilePermissions.fromString("---------"));
    try {
      assumeFalse(Files.isReadable(model), "running as root: chmod 000 does not deny root's reads");
      assertRefused(v1, "permission denied");
      assertThatThrownBy(() -> store.list("fashion"))
          .isInstanceOf(ModelStoreException.class)
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> store.nextVersion("fashion"))
          .isInstanceOf(ModelStoreException.class);
    } finally {
      Files.setPosixFilePermissions(model, before);
    }
  }

  private void assertRefused(URI uri, String reason) {
    assertThatThrownBy(() -> store.resolve(uri))
        .isInstanceOf(ModelStoreException.class)
        .hasMessageContaining(uri.toString())
        .hasMessageContaining(reason);
  }
}
