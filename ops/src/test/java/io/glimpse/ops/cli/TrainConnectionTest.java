package io.glimpse.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glimpse.lifecycle.KafkaConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParameterException;

/**
 * Where {@code glimpse train} finds Kafka and the registry for {@code --from-topic}, {@code
 * --publish} and {@code --promote}: the flags, {@code GLIMPSE_KAFKA_*} and {@code --config}, as
 * {@code publish}, {@code tail} and {@code models} read them. Parsed with the real command line;
 * nothing connects.
 */
class TrainConnectionTest {

  private static final Map<String, String> SECURED_ENV =
      Map.of(
          "GLIMPSE_KAFKA_BOOTSTRAP_SERVERS", "kafka.kafka.svc:9093",
          "GLIMPSE_KAFKA_SCHEMA_REGISTRY_URL", "https://schema-registry.kafka.svc:8081",
          "GLIMPSE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
          "GLIMPSE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
          "GLIMPSE_KAFKA_BASIC_AUTH_CREDENTIALS_SOURCE", "USER_INFO",
          "GLIMPSE_KAFKA_BASIC_AUTH_USER_INFO", "glimpse:secret");

  @TempDir Path tmp;

  private static TrainCommand train(String... args) {
    List<String> line = new ArrayList<>(List.of("train"));
    line.addAll(List.of(args));
    return (TrainCommand)
        GlimpseCli.newCommandLine()
            .parseArgs(line.toArray(String[]::new))
            .subcommand()
            .commandSpec()
            .userObject();
  }

  @Test
  void glimpseKafkaVariablesReachTheConsumerProducerAndSerdeSettings() {
    KafkaConnection kafka = train("--promote").kafka(SECURED_ENV);

    assertThat(kafka.bootstrapServers()).isEqualTo("kafka.kafka.svc:9093");
    assertThat(kafka.schemaRegistryUrl()).isEqualTo("https://schema-registry.kafka.svc:8081");
    // what VersionPublisher's producer and reader and KafkaTopicSource's consumers get
    assertThat(kafka.clientConfig())
        .containsEntry("bootstrap.servers", "kafka.kafka.svc:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    // what the Avro serde's registry client gets
    assertThat(kafka.serdeConfig())
        .containsEntry("schema.registry.url", "https://schema-registry.kafka.svc:8081")
        .containsEntry("basic.auth.credentials.source", "USER_INFO")
        .containsEntry("basic.auth.user.info", "glimpse:secret");
    // what --from-topic pins its range with
    assertThat(TopicTrainingOptions.consumerConfig(kafka))
        .containsEntry("bootstrap.servers", "kafka.kafka.svc:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("isolation.level", "read_committed")
        .doesNotContainKey("group.id");
  }

  @Test
  void theOldOptionNamesStillParseAndWinOverTheEnvironment() {
    // docker-compose.yml's trainer, the chart's trainer Job, the README: --opt=value
    TrainCommand composed =
        train(
            "--dataset=fashion-mnist",
            "--store=file:///var/glimpse/models",
            "--promote",
            "--bootstrap-servers=kafka:19092",
            "--schema-registry-url=http://schema-registry:8081");
    KafkaConnection kafka = composed.kafka(SECURED_ENV);
    assertThat(kafka.bootstrapServers()).isEqualTo("kafka:19092");
    assertThat(kafka.schemaRegistryUrl()).isEqualTo("http://schema-registry:8081");
    assertThat(kafka.clientConfig()).containsEntry("security.protocol", "SASL_SSL");

    // the tests' and the demo's form: --opt value
    KafkaConnection separate =
        train(
                "--from-topic",
                "images",
                "--bootstrap-servers",
                "127.0.0.1:39092",
                "--schema-registry-url",
                "http://127.0.0.1:38081")
            .kafka(Map.of());
    assertThat(separate.bootstrapServers()).isEqualTo("127.0.0.1:39092");
    assertThat(separate.schemaRegistryUrl()).isEqualTo("http://127.0.0.1:38081");
    assertThat(separate.clientConfig()).containsOnlyKeys("bootstrap.servers");

    KafkaConnection defaults = train().kafka(Map.of());
    assertThat(defaults.bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(defaults.schemaRegistryUrl()).isEqualTo("http://127.0.0.1:8081");
  }

  @Test
  void aConfigFileGivesTheSecuritySettingsAndAMissingOneIsAUsageError() throws Exception {
    Path file =
        Files.write(
            tmp.resolve("pipeline.properties"),
            List.of(
                "bootstrap.servers=file:9093",
                "security.protocol=SSL",
                "ssl.truststore.location=/etc/glimpse/kafka-tls/truststore.p12",
                "application.id=glimpse-pipeline"));

    KafkaConnection kafka = train("--config", file.toString(), "--publish").kafka(Map.of());
    assertThat(kafka.bootstrapServers()).isEqualTo("file:9093");
    assertThat(TopicTrainingOptions.consumerConfig(kafka))
        .containsEntry("security.protocol", "SSL")
        .containsEntry("ssl.truststore.location", "/etc/glimpse/kafka-tls/truststore.p12")
        .doesNotContainKey("application.id");

    TrainCommand missing = train("-c", tmp.resolve("absent.properties").toString());
    assertThatThrownBy(() -> missing.kafka(Map.of()))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("cannot read --config")
        .hasMessageContaining("absent.properties");
  }
}
