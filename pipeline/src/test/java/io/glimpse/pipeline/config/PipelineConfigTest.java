package io.glimpse.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glimpse.model.mobilenet.Precision;
import io.glimpse.model.store.S3StoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineConfigTest {
  @TempDir Path tmp;

  @Test
  void defaultsAreDocumentedAndSensible() {
    PipelineConfig config = PipelineConfig.of(Map.of());
    assertThat(config.batchPolicy().maxSize()).isEqualTo(32);
    assertThat(config.batchPolicy().maxLinger()).isEqualTo(Duration.ofMillis(50));
    assertThat(config.batchPolicy().flushWhenIdle()).isTrue();
    assertThat(config.batchPolicy().commitWhenIdle()).isTrue();
    assertThat(
            PipelineConfig.of(Map.of(PipelineConfig.BATCH_FLUSH_WHEN_IDLE, " FALSE "))
                .batchPolicy()
                .flushWhenIdle())
        .isFalse();
    assertThat(config.imagesTopic()).isEqualTo("images");
    assertThat(config.dlqTopic()).isEqualTo("images.dlq");
    assertThat(config.streamsProperties())
        .containsEntry("processing.guarantee", "exactly_once_v2")
        .containsEntry("application.id", "glimpse-pipeline")
        .doesNotContainKey(PipelineConfig.BATCH_MAX_SIZE);
    assertThat(config.modelPrecision()).isEqualTo(Precision.FP32);
    assertThat(PipelineConfig.of(Map.of(PipelineConfig.MODEL_PRECISION, "BF16")).modelPrecision())
        .isEqualTo(Precision.BF16);
  }

  @Test
  void s3StoreSettingsComeFromGlimpseKeysAndTheirEnvironmentVariables() {
    S3StoreSettings defaults = PipelineConfig.of(Map.of()).s3StoreSettings();
    assertThat(defaults.endpoint()).isEmpty();
    assertThat(defaults.region()).isEqualTo("us-east-1");
    assertThat(defaults.pathStyle()).isFalse();
    assertThat(defaults.cacheMaxBytes()).isEqualTo(2L * 1024 * 1024 * 1024);
    assertThat(defaults.cacheDirectory()).isEqualTo(S3StoreSettings.defaultCacheDirectory());

    S3StoreSettings minio =
        PipelineConfig.load(
                null,
                Map.of(
                    "GLIMPSE_S3_ENDPOINT", "http://minio:9000",
                    "GLIMPSE_S3_PATH_STYLE", "true",
                    "GLIMPSE_S3_REGION", "eu-west-1",
                    "GLIMPSE_MODEL_CACHE_DIR", tmp.toString(),
                    "GLIMPSE_MODEL_CACHE_MAX_BYTES", "1000"),
                Map.of())
            .s3StoreSettings();
    assertThat(minio.endpoint()).hasValue(java.net.URI.create("http://minio:9000"));
    assertThat(minio.pathStyle()).isTrue();
    assertThat(minio.region()).isEqualTo("eu-west-1");
    assertThat(minio.cacheDirectory()).isEqualTo(tmp);
    assertThat(minio.cacheMaxBytes()).isEqualTo(1000);

    assertThatThrownBy(
            () ->
                PipelineConfig.of(Map.of(PipelineConfig.S3_ENDPOINT, "http://key:secret@minio"))
                    .s3StoreSettings())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(PipelineConfig.S3_ENDPOINT)
        .hasMessageNotContaining("secret@");
  }

  @Test
  void fileThenEnvironmentThenOverridesWin() throws Exception {
    Path file = tmp.resolve("glimpse.properties");
    Files.writeString(
        file,
        "glimpse.batch.max.size=8\nglimpse.batch.max.linger.ms=20\n"
            + "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n");
    Map<String, String> env =
        Map.of(
            "GLIMPSE_BATCH_MAX_LINGER_MS", "30",
            "GLIMPSE_KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9093",
            "GLIMPSE_JAVA_OPTS", "-Xmx1g");

    PipelineConfig config = PipelineConfig.load(file, env, Map.of(PipelineConfig.TOP_K, 2));

    assertThat(config.batchPolicy().maxSize()).isEqualTo(8);
    assertThat(config.batchPolicy().maxLinger()).isEqualTo(Duration.ofMillis(30));
    assertThat(config.topK()).isEqualTo(2);
    assertThat(config.streamsProperties())
        .containsEntry("bootstrap.servers", "kafka-1:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "PLAIN");
    assertThat(config.values()).doesNotContainKey("glimpse.java.opts");
    assertThat(config.serdeConfig()).containsEntry("schema.registry.url", "http://127.0.0.1:8081");
  }

  @Test
  void badValuesNameTheirKey() {
    assertThatThrownBy(() -> PipelineConfig.of(Map.of(PipelineConfig.BATCH_MAX_SIZE, "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("glimpse.batch.max.size");
    assertThatThrownBy(
            () -> PipelineConfig.of(Map.of(PipelineConfig.BATCH_COMMIT_WHEN_IDLE, "sometimes")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("glimpse.batch.commit.when.idle", "true or false");
    assertThatThrownBy(() -> PipelineConfig.of(Map.of(PipelineConfig.TOP_K, "many")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("glimpse.prediction.top.k");
    assertThatThrownBy(() -> PipelineConfig.of(Map.of(PipelineConfig.MODEL_PRECISION, "int8")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("glimpse.model.precision", "fp32 or bf16");
    assertThatThrownBy(() -> PipelineConfig.of(Map.of()).checkModelSource())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("glimpse.model.name", "glimpse.model.path");
    assertThatThrownBy(
            () ->
                PipelineConfig.of(Map.of(PipelineConfig.MODEL_NAME, "fashion")).checkModelSource())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("glimpse.model.store");
    assertThatThrownBy(
            () -> PipelineConfig.load(tmp.resolve("missing.properties"), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("missing.properties");
  }

  @Test
  void modelPathIsAPathOrAPercentEncodedFileUri() {
    assertThat(PipelineConfig.of(Map.of(PipelineConfig.MODEL_PATH, "models/a b/1")).modelPath())
        .contains(Path.of("models/a b/1"));
    assertThat(
            PipelineConfig.of(Map.of(PipelineConfig.MODEL_PATH, "file:///srv/a%20b/100%25/1"))
                .modelPath())
        .contains(Path.of("/srv/a b/100%/1"));
    assertThatThrownBy(
            () -> PipelineConfig.of(Map.of(PipelineConfig.MODEL_PATH, "file://host/x")).modelPath())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("glimpse.model.path");
  }

  @Test
  void lingerFlushIsCheckedOftenEnough() {
    assertThat(PipelineConfig.of(Map.of()).batchPolicy().punctuationInterval())
        .isEqualTo(Duration.ofMillis(12));
  }
}
