package io.glimpse.model.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@link S3StoreSettings} defaults. */
class S3StoreSettingsTest {

  @Test
  void theDefaultCacheDirectoryBelongsToThisProcess() {
    Path cache = S3StoreSettings.defaultCacheDirectory();

    assertThat(cache.getParent()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
    assertThat(cache.getFileName().toString())
        .startsWith("glimpse-model-cache-")
        .endsWith("-" + ProcessHandle.current().pid());
    assertThat(S3StoreSettings.builder().build().cacheDirectory()).isEqualTo(cache);
  }
}
