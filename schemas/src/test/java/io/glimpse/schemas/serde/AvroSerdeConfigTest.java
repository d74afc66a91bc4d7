package io.glimpse.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class AvroSerdeConfigTest {
  private static final Schema RECORD = io.glimpse.schemas.avro.ImageEvent.getClassSchema();

  @Test
  void defaultsMatchConfluents() {
    AvroSerdeConfig config =
        AvroSerdeConfig.from(Map.of("schema.registry.url", "http://a:8081, http://b:8081/"), false);
    assertThat(config.registryUrls()).containsExactly("http://a:8081", "http://b:8081");
    assertThat(config.autoRegisterSchemas()).isTrue();
    assertThat(config.useLatestVersion()).isFalse();
    assertThat(config.specificAvroReader()).isFalse();
    assertThat(config.basicAuthUserInfo()).isNull();
    assertThat(config.subjectNameStrategy().subjectName("images", false, RECORD))
        .isEqualTo("images-value");
  }

  @Test
  void missingUrlSaysWhatToSet() {
    assertThatThrownBy(() -> AvroSerdeConfig.from(Map.of(), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url");
  }

  @Test
  void confluentStrategyClassNamesAreAccepted() {
    AvroSerdeConfig config =
        AvroSerdeConfig.from(
            Map.of(
                "schema.registry.url", "http://a",
                "key.subject.name.strategy",
                    "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"),
            true);
    assertThat(config.subjectNameStrategy().subjectName("images", true, RECORD))
        .isEqualTo("images-io.glimpse.schemas.avro.ImageEvent");
  }

  @Test
  void unknownStrategyIsRefused() {
    assertThatThrownBy(
            () ->
                AvroSerdeConfig.from(
                    Map.of(
                        "schema.registry.url", "http://a", "value.subject.name.strategy", "Nope"),
                    false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("value.subject.name.strategy");
  }

  @Test
  void basicAuthFromUserInfoOrUrl() {
    assertThat(
            AvroSerdeConfig.from(
                    Map.of(
                        "schema.registry.url", "http://a",
                        "basic.auth.credentials.source", "USER_INFO",
                        "basic.auth.user.info", "fred:secret"),
                    false)
                .basicAuthUserInfo())
        .isEqualTo("fred:secret");
    assertThat(
            AvroSerdeConfig.from(
                    Map.of(
                        "schema.registry.url", "http://ann:pw@a:8081",
                        "basic.auth.credentials.source", "URL"),
                    false)
                .basicAuthUserInfo())
        .isEqualTo("ann:pw");
    assertThatThrownBy(
            () ->
                AvroSerdeConfig.from(
                    Map.of(
                        "schema.registry.url", "http://a",
                        "basic.auth.credentials.source", "SASL_INHERIT"),
                    false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("USER_INFO and URL");
  }

  @Test
  void badValuesNameTheirKey() {
    assertThatThrownBy(
            () ->
                AvroSerdeConfig.from(
                    Map.of("schema.registry.url", "http://a", "auto.register.schemas", "yes"),
                    false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("auto.register.schemas");
    assertThatThrownBy(() -> AvroSerdeConfig.from(Map.of("schema.registry.url", "ftp://a"), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http://");
    assertThatThrownBy(
            () -> AvroSerdeConfig.from(Map.of("schema.registry.url", "mock://a,http://b"), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("mock://");
  }
}
