package io.glimpse.ops.cli.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionSettingsTest {

  @TempDir Path tmp;

  @Test
  void withNothingGivenTheEmbeddedStackAndTheTrainersStoreAreUsed() throws Exception {
    ConnectionSettings s = ConnectionSettings.resolve(null, Map.of(), Map.of());
    assertThat(s.bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(s.schemaRegistryUrl()).isEqualTo("http://127.0.0.1:8081");
    assertThat(s.store()).isEqualTo("models");
    assertThat(s.clientProperties()).isEmpty();
  }

  @Test
  void flagsWinOverTheEnvironmentWhichWinsOverTheFile() throws Exception {
    Path file =
        Files.write(
            tmp.resolve("pipeline.properties"),
            List.of(
                "bootstrap.servers=file:9092",
                "schema.registry.url=http://file:8081",
                "glimpse.model.store=/file/models",
                "security.protocol=SASL_SSL",
                "basic.auth.user.info=me:secret",
                "application.id=glimpse-pipeline",
                "glimpse.batch.max.size=16"));
    Map<String, String> env =
        Map.of(
            "GLIMPSE_KAFKA_BOOTSTRAP_SERVERS", "env:9092",
            "GLIMPSE_MODEL_STORE", "/env/models",
            "GLIMPSE_KAFKA_SASL_MECHANISM", "PLAIN",
            "HOME", "/root");

    ConnectionSettings fromFileAndEnv = ConnectionSettings.resolve(file, env, Map.of());
    assertThat(fromFileAndEnv.bootstrapServers()).isEqualTo("env:9092");
    assertThat(fromFileAndEnv.schemaRegistryUrl()).isEqualTo("http://file:8081");
    assertThat(fromFileAndEnv.store()).isEqualTo("/env/models");
    assertThat(fromFileAndEnv.clientProperties())
        .containsOnly(
            Map.entry("security.protocol", "SASL_SSL"),
            Map.entry("sasl.mechanism", "PLAIN"),
            Map.entry("basic.auth.user.info", "me:secret")); // Streams and glimpse.* stay out

    ConnectionSettings withFlags =
        ConnectionSettings.resolve(
            file, env, Map.of("bootstrap.servers", "flag:9092", "glimpse.model.store", "m"));
    assertThat(withFlags.bootstrapServers()).isEqualTo("flag:9092");
    assertThat(withFlags.store()).isEqualTo("m");
    assertThat(withFlags.kafka(Duration.ofSeconds(3)).timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(withFlags.clientConfig())
        .containsEntry("bootstrap.servers", "flag:9092")
        .containsEntry("security.protocol", "SASL_SSL")
        .doesNotContainKey("schema.registry.url");
    assertThat(withFlags.serdeConfig())
        .containsEntry("schema.registry.url", "http://file:8081")
        .containsEntry("basic.auth.user.info", "me:secret")
        .doesNotContainKey("bootstrap.servers");
  }

  @Test
  void aMissingFileSaysWhichOne() {
    Path missing = tmp.resolve("missing.properties");
    assertThatThrownBy(() -> ConnectionSettings.resolve(missing, Map.of(), Map.of()))
        .hasMessageStartingWith("cannot read --config " + missing);
  }
}
