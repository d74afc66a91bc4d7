package io.glimpse.model.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which failures of an {@link S3ModelStore} are worth retrying, against S3Proxy in the test JVM.
 */
class S3FailuresTest {

  private static final String BUCKET = "failure-models";
  private static final List<String> CREDENTIAL_PROPERTIES =
      List.of(
          "aws.accessKeyId",
          "aws.secretAccessKey",
          "aws.disableEc2Metadata",
          "aws.sharedCredentialsFile",
          "aws.configFile");

  @TempDir static Path artifacts;
  private static Path fashion1;
  private static LocalS3 s3;

  @TempDir Path dir;

  @BeforeAll
  static void startS3() throws Exception {
    fashion1 = Artifacts.write(artifacts, "fashion", "1");
    s3 = LocalS3.open(BUCKET);
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3.close();
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
    try (S3ModelStore store =
        S3ModelStore.open(
            URI.create("s3://" + BUCKET + "/no-credentials"),
            s3.settings(dir.resolve("cache")).build())) {
      assertThatThrownBy(() -> store.list("fashion"))
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
    Path cache = dir.resolve("cache");
    StoredVersion v1;
    try (S3ModelStore store =
        S3ModelStore.open(URI.create("s3://" + BUCKET + "/write"), s3.settings(cache).build())) {
      v1 = store.resolve(store.put(fashion1, "fashion", "1"));
    }
    S3VersionDownload download =
        new S3VersionDownload(
            s3.client(), S3StoreLayout.parse(URI.create("s3://" + BUCKET + "/write")), v1, 1 << 24);
    Path gone = dir.resolve("removed-download-directory");

    assertThatThrownBy(() -> download.into(gone))
        .isInstanceOf(ModelStoreException.class)
        .isNotInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(gone.toString());
    assertThat(gone).doesNotExist();
  }
}
