package io.glimpse.model.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glimpse.model.artifact.ModelArtifact;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link VersionCache} filled from a real S3 implementation (S3Proxy) in the test JVM. */
class VersionCacheTest {

  private static final String BUCKET = "cache-models";

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

  private S3ModelStore open(String prefix, Path cache) throws Exception {
    return S3ModelStore.open(
        URI.create("s3://" + BUCKET + "/" + prefix), s3.settings(cache).build());
  }

  @Test
  void concurrentFetchesOfOneVersionFromAColdCacheAllSucceedAndDownloadOnce() throws Exception {
    int fetchers = 6;
    try (S3ModelStore store = open("concurrent", dir.resolve("cache"))) {
      StoredVersion v1 = store.resolve(store.put(fashion1, "fashion", "1"));
      CyclicBarrier start = new CyclicBarrier(fetchers);
      ExecutorService pool = Executors.newFixedThreadPool(fetchers);
      try {
        List<Future<Path>> copies = new ArrayList<>();
        for (int i = 0; i < fetchers; i++) {
          Path target = dir.resolve("copy-" + i);
          copies.add(
              pool.submit(
                  () -> {
                    start.await(10, TimeUnit.SECONDS);
                    return store.fetch(v1, target);
                  }));
        }
        for (Future<Path> copy : copies) {
          assertThat(copy.get(60, TimeUnit.SECONDS).resolve(ModelArtifact.MANIFEST_FILE)).exists();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(store.cacheDownloads()).isEqualTo(1);
    }
  }

  @Test
  void anEntryThatCannotBeCopiedOutIsDroppedAndDownloadedAgain() throws Exception {
    Path cache = dir.resolve("cache");
    try (S3ModelStore store = open("damaged", cache)) {
      StoredVersion v1 = store.resolve(store.put(fashion1, "fashion", "1"));
      store.fetch(v1, dir.resolve("first"));
      Path entry;
      try (Stream<Path> entries = Files.list(cache)) {
        entry =
            entries
                .filter(p -> p.getFileName().toString().endsWith("fashion-1"))
                .findFirst()
                .orElseThrow();
      }
      Files.delete(entry.resolve(ModelArtifact.MANIFEST_FILE)); // damaged on disk

      assertThatThrownBy(() -> store.fetch(v1, dir.resolve("second")))
          .isInstanceOf(ModelStoreException.class);
      assertThat(entry).doesNotExist();
      Path third = store.fetch(v1, dir.resolve("third"));

      assertThat(third.resolve(ModelArtifact.MANIFEST_FILE)).exists();
      assertThat(store.cacheDownloads()).isEqualTo(2);
    }
  }

  @Test
  void evictionLeavesNoEntryBehind() throws Exception {
    Path cache = dir.resolve("cache");
    try (S3ModelStore store =
        S3ModelStore.open(
            URI.create("s3://" + BUCKET + "/evicted"),
            s3.settings(cache).optCacheMaxBytes(1).build())) {
      StoredVersion v1 = store.resolve(store.put(fashion1, "fashion", "1"));
      store.fetch(v1, dir.resolve("first"));

      try (Stream<Path> left = Files.list(cache)) {
        assertThat(left).isEmpty();
      }
    }
  }
}
