package io.glimpse.model.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.glimpse.model.artifact.LoadedModel;
import io.glimpse.model.artifact.ModelArtifact;
import io.glimpse.model.artifact.ModelArtifactLoader;
import io.glimpse.model.artifact.ModelManifest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** {@link S3ModelStore} against a real S3 implementation (S3Proxy) in the test JVM. */
class S3ModelStoreTest {

  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static final List<String> CREDENTIAL_PROPERTIES =
      List.of(
          "aws.accessKeyId",
          "aws.secretAccessKey",
          "aws.disableEc2Metadata",
          "aws.sharedCredentialsFile",
          "aws.configFile");

  @TempDir static Path artifacts;
  private static Path fashion1;
  private static Path fashion2;
  private static LocalS3 s3;

  @TempDir Path dir;
  private String bucket;
  private S3ModelStore store;

  @BeforeAll
  static void startS3() throws Exception {
    fashion1 = Artifacts.write(artifacts, "fashion", "1");
    fashion2 = Artifacts.write(artifacts, "fashion", "2");
    s3 = LocalS3.open();
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3.close();
  }

  @BeforeEach
  void openStore() throws Exception {
    bucket = "models-" + BUCKETS.incrementAndGet();
    s3.client().createBucket(b -> b.bucket(bucket));
    store = open("s3://" + bucket + "/prod", dir.resolve("cache"), Long.MAX_VALUE);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private S3ModelStore open(String uri, Path cache, long cacheBytes) throws Exception {
    return S3ModelStore.open(
        URI.create(uri), s3.settings(cache).optCacheMaxBytes(cacheBytes).build());
  }

  @Test
  void putListGetResolveAndFetchRoundTrip() throws Exception {
    URI v1 = store.put(fashion1, "fashion", "1");
    store.put(fashion2, "fashion", "2");

    assertThat(v1).isEqualTo(URI.create("s3://" + bucket + "/prod/fashion/1/"));
    assertThat(store.uri()).isEqualTo(URI.create("s3://" + bucket + "/prod/"));
    assertThat(store.list("fashion")).extracting(StoredVersion::version).containsExactly("1", "2");
    assertThat(store.list("other")).isEmpty();
    assertThat(store.get("fashion", "2"))
        .map(StoredVersion::uri)
        .hasValue(store.uri().resolve("fashion/2/"));
    assertThat(store.get("fashion", "3")).isEmpty();
    assertThat(store.nextVersion("fashion")).isEqualTo("3");

    StoredVersion resolved = store.resolve(v1.toString());
    Path copy = store.fetch(resolved, dir.resolve("private"));
    ModelArtifactLoader loader =
        ModelArtifactLoader.builder()
            .optExpectedManifestSha256(ModelArtifact.manifestSha256(fashion1))
            .build();
    try (LoadedModel model = loader.load(copy)) {
      assertThat(model.getManifest().getVersion()).isEqualTo("1");
    }
  }

  @Test
  void refusesToReplaceAVersion() throws Exception {
    store.put(fashion1, "fashion", "1");

    assertThatThrownBy(() -> store.put(fashion1, "fashion", "1"))
        .isInstanceOf(ModelStoreException.class)
        .hasMessageContaining("already exists")
        .hasMessageContaining("immutable");
  }

  @Test
  void refusesArtifactUrisOutsideTheStore() throws Exception {
    store.put(fashion1, "fashion", "1");

    assertRefused("s3://another-bucket/prod/fashion/1/", "another bucket");
    assertRefused("s3://" + bucket + "/staging/fashion/1/", "not inside the store");
    assertRefused("s3://" + bucket + "/prod/../prod/fashion/1/", "'..'");
    assertRefused("s3://" + bucket + "/prod/fashion/../fashion/1/", "'..'");
    assertRefused("s3://" + bucket + "/prod%2Ffashion/1/", "percent-encoded");
    assertRefused("s3://" + bucket + "/prod/fashion%2F1/", "percent-encoded");
    assertRefused("s3://" + bucket + "/prod/fashion/1/manifest.json", "<model>/<version>/");
    assertRefused("file:///prod/fashion/1/", "not an s3:// URI");
    assertThatThrownBy(
            () -> store.resolve("s3://AKIAKEY:very-secret@" + bucket + "/prod/fashion/1/"))
        .isInstanceOf(ModelStoreException.class)
        .hasMessageContaining("credentials")
        .hasMessageNotContaining("very-secret");
    assertThatThrownBy(() -> ModelStores.open("s3://AKIAKEY:very-secret@" + bucket + "/prod"))
        .isInstanceOf(ModelStoreException.class)
        .hasMessageNotContaining("very-secret");
  }

  @Test
  void neverShowsCredentialsInANonS3Uri() {
    String withCredentials = "https://AKIAKEY:very-secret@example.com/prod/fashion/1/";
    assertThatThrownBy(() -> store.resolve(withCredentials))
        .isInstanceOf(ModelStoreException.class)
        .hasMessageContaining("credentials")
        .hasMessageNotContaining("very-secret");
    assertThatThrownBy(() -> S3StoreLayout.parse(URI.create(withCredentials)))
        .isInstanceOf(ModelStoreException.class)
        .hasMessageContaining("credentials")
        .hasMessageNotContaining("very-secret");
    assertThatThrownBy(() -> ModelStores.open(withCredentials))
        .isInstanceOf(ModelStoreException.class)
        .hasMessageNotContaining("very-secret");
  }

  @Test
  void refusesAPartialVersionWithoutItsManifest() throws Exception {
    URI v1 = store.put(fashion1, "fashion", "1");
    s3.client().deleteObject(b -> b.bucket(bucket).key("prod/fashion/1/manifest.json"));

    assertThatThrownBy(() -> store.resolve(v1))
        .isInstanceOf(ModelStoreException.class)
        .isNotInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("partial version");
    assertThat(store.get("fashion", "1")).isEmpty(); // so that registering again reaches put()
    assertThat(store.list("fashion")).isEmpty();
    StoredVersion stored = new StoredVersion("fashion", "1", v1);
    assertThatThrownBy(() -> store.fetch(stored, dir.resolve("private")))
        .isInstanceOf(ModelStoreException.class)
        .isNotInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("manifest.json is missing");
    assertThat(dir.resolve("private")).doesNotExist();

    store.put(fashion1, "fashion", "1"); // a partial version is written again, not "exists"
    assertThat(store.resolve(v1).version()).isEqualTo("1");
  }

  @Test
  void refusesACorruptedObjectNamingTheFile() throws Exception {
    StoredVersion v1 = store.resolve(store.put(fashion1, "fashion", "1"));
    String params = parametersFile(fashion1);
    byte[] bytes = Files.readAllBytes(fashion1.resolve(params));
    bytes[bytes.length / 2] ^= 1;
    s3.client()
        .putObject(
            b -> b.bucket(bucket).key("prod/fashion/1/" + params), RequestBody.fromBytes(bytes));

    assertThatThrownBy(() -> store.fetch(v1, dir.resolve("private")))
        .isInstanceOf(ModelStoreException.class)
        .isNotInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("checksum mismatch for " + params);
    assertThat(dir.resolve("private")).doesNotExist();
    assertThat(cacheEntries(dir.resolve("cache"))).isEmpty();
  }

  @Test
  void aCachedVersionIsNotDownloadedAgain() throws Exception {
    StoredVersion v1 = store.resolve(store.put(fashion1, "fashion", "1"));
    store.fetch(v1, dir.resolve("first"));
    s3.stop();
    try {
      Path second = store.fetch(v1, dir.resolve("second")); // S3 is down: only the cache can serve

      assertThat(second.resolve(ModelArtifact.MANIFEST_FILE)).exists();
      assertThat(store.cacheDownloads()).isEqualTo(1);
    } finally {
      s3.start();
    }
  }

  @Test
  void theCacheEvictsTheLeastRecentlyUsedVersionOverItsBound() throws Exception {
    Path cache = dir.resolve("small-cache");
    Files.createDirectories(cache.resolve(".tmp-left-by-a-crash"));
    long oneVersion = bytes(fashion1);
    try (S3ModelStore small =
        open("s3://" + bucket + "/prod", cache, oneVersion + oneVersion / 2)) {
      StoredVersion v1 = small.resolve(small.put(fashion1, "fashion", "1"));
      StoredVersion v2 = small.resolve(small.put(fashion2, "fashion", "2"));

      small.fetch(v1, dir.resolve("a"));
      assertThat(cache.resolve(".tmp-left-by-a-crash")).doesNotExist();
      small.fetch(v2, dir.resolve("b"));

      assertThat(cacheEntries(cache)).hasSize(1).allMatch(name -> name.endsWith("fashion-2"));
      small.fetch(v1, dir.resolve("c"));
      assertThat(cacheEntries(cache)).hasSize(1).allMatch(name -> name.endsWith("fashion-1"));
      assertThat(small.cacheDownloads()).isEqualTo(3);
    }
  }

  @Test
  void aStoreOnlyWrittenToLeavesNoCacheBehind() throws Exception {
    Path cache = dir.resolve("writer-cache");
    try (S3ModelStore writer = open("s3://" + bucket + "/prod", cache, Long.MAX_VALUE)) {
      writer.put(fashion1, "fashion", "1");
      assertThat(writer.list("fashion")).hasSize(1);
    }
    assertThat(cache).doesNotExist();
  }

  @Test
  void anOutageIsARetriableFailureThatEndsWhenS3IsBack() throws Exception {
    URI v1 = store.put(fashion1, "fashion", "1");
    s3.stop();
    try {
      assertTimeoutPreemptively(
          Duration.ofSeconds(20),
          () ->
              assertThatThrownBy(() -> store.resolve(v1))
                  .isInstanceOf(StoreUnavailableException.class)
                  .hasMessageContaining("unavailable"));
      assertThatThrownBy(() -> store.list("fashion")).isInstanceOf(StoreUnavailableException.class);
    } finally {
      s3.start();
    }
    assertThat(store.resolve(v1).version()).isEqualTo("1");
  }

  @Test
  void missingCredentialsArePermanentAndSayWhereTheyAreLookedFor() throws Exception {
    assumeTrue(
        System.getenv("AWS_ACCESS_KEY_ID") == null
            && System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == null
            && System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") == null
            && System.getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") == null,
        "AWS credentials are set in the environment");
    Map<String, String> saved = new HashMap<>();
    for (String name : CREDENTIAL_PROPERTIES) {
      saved.put(name, System.getProperty(name));
      System.clearProperty(name);
    }
    System.setProperty("aws.disableEc2Metadata", "true");
    System.setProperty("aws.sharedCredentialsFile", dir.resolve("no-credentials").toString());
    System.setProperty("aws.configFile", dir.resolve("no-config").toString());
    try (S3ModelStore anonymous = open("s3://" + bucket + "/prod", dir.resolve("c"), 1 << 30)) {
      assertThatThrownBy(() -> anonymous.list("fashion"))
          .isInstanceOf(ModelStoreException.class)
          .isNotInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("AWS_ACCESS_KEY_ID")
          .hasMessageContaining("profile")
          .hasMessageContaining("web identity");
    } finally {
      saved.forEach(
          (name, value) -> {
            if (value == null) {
              System.clearProperty(name);
            } else {
              System.setProperty(name, value);
            }
          });
    }
  }

  @Test
  void aFailureToWriteTheCacheIsNotAnOutage() throws Exception {
    StoredVersion v1 = store.resolve(store.put(fashion1, "fashion", "1"));
    S3VersionDownload download =
        new S3VersionDownload(s3.client(), S3StoreLayout.parse(store.uri()), v1, Long.MAX_VALUE);
    Path gone = dir.resolve("removed-download-directory");

    assertThatThrownBy(() -> download.into(gone))
        .isInstanceOf(ModelStoreException.class)
        .isNotInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(gone.toString());
    assertThat(gone).doesNotExist();
  }

  @Test
  void settingsRefuseCredentialsInTheEndpointWithoutShowingThem() {
    assertThatThrownBy(
            () -> S3StoreSettings.builder().optEndpoint("http://AKIA:very-secret@minio:9000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("very-secret");
    assertThatThrownBy(
            () -> S3StoreSettings.fromEnvironment(java.util.Map.of("GLIMPSE_S3_PATH_STYLE", "yes")))
        .hasMessageContaining("GLIMPSE_S3_PATH_STYLE");
    S3StoreSettings settings =
        S3StoreSettings.fromEnvironment(
            java.util.Map.of(
                "GLIMPSE_S3_ENDPOINT", "http://minio:9000",
                "GLIMPSE_S3_PATH_STYLE", "true",
                "GLIMPSE_S3_REGION", "eu-west-1"));
    assertThat(settings.endpoint()).hasValue(URI.create("http://minio:9000"));
    assertThat(settings.pathStyle()).isTrue();
    assertThat(settings.region()).isEqualTo("eu-west-1");
  }

  private void assertRefused(String uri, String reason) {
    assertThatThrownBy(() -> store.resolve(uri))
        .isInstanceOf(ModelStoreException.class)
        .isNotInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(reason);
  }

  private static String parametersFile(Path artifact) throws Exception {
    return ModelManifest.fromJson(Files.readAllBytes(artifact.resolve(ModelArtifact.MANIFEST_FILE)))
        .getParametersFile()
        .orElseThrow();
  }

  private static long bytes(Path artifact) throws Exception {
    try (Stream<Path> files = Files.list(artifact)) {
      long total = 0;
      for (Path file : files.toList()) {
        total += Files.size(file);
      }
      return total;
    }
  }

  private static java.util.List<String> cacheEntries(Path cache) throws Exception {
    try (Stream<Path> entries = Files.list(cache)) {
      return entries.map(p -> p.getFileName().toString()).toList();
    }
  }
}
