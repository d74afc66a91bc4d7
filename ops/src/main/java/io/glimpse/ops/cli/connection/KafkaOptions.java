package io.glimpse.ops.cli.connection;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where a client command finds Kafka and the schema registry: {@code --bootstrap-servers}, {@code
 * --schema-registry-url} and {@code --config}, over {@code GLIMPSE_KAFKA_*} variables, over the
 * file, over the embedded stack's addresses. {@code publish}, {@code tail}, {@code label}, {@code
 * train} and every {@code models} command take these; see {@link ConnectionSettings} for the
 * layering.
 */
public final class KafkaOptions {

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "<host:port>",
      description =
          "Kafka bootstrap servers (default: GLIMPSE_KAFKA_BOOTSTRAP_SERVERS, bootstrap.servers in"
              + " --config, else 127.0.0.1:9092).")
  private String bootstrapServers;

  @Option(
      names = {"--schema-registry-url", "--registry-url"},
      paramLabel = "<url>",
      description =
          "Schema registry URL (default: GLIMPSE_KAFKA_SCHEMA_REGISTRY_URL, schema.registry.url in"
              + " --config, else http://127.0.0.1:8081).")
  private String schemaRegistryUrl;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "<file>",
      description =
          "A properties file, e.g. the pipeline's: the settings above and any Kafka client or"
              + " registry setting (security.protocol, sasl.*, ssl.*, basic.auth.*).")
  private Path configFile;

  /** The properties file given with {@code --config}, or null. */
  public Path configFile() {
    return configFile;
  }

  /**
   * The settings, with flags over environment over file over defaults.
   *
   * @throws IOException when {@code --config} cannot be read
   */
  public ConnectionSettings settings() throws IOException {
    return settings(Map.of());
  }

  /**
   * The settings, with {@code moreFlags} (keys of {@link ConnectionSettings}; null values are flags
   * not given) layered as flags.
   *
   * @throws IOException when {@code --config} cannot be read
   */
  public ConnectionSettings settings(Map<String, String> moreFlags) throws IOException {
    return settings(moreFlags, System.getenv());
  }

  /**
   * The settings as {@link #settings(Map)} layers them, with {@code environment} in place of the
   * process's: a pod's environment, or a test's.
   *
   * @throws IOException when {@code --config} cannot be read
   */
  public ConnectionSettings settings(Map<String, String> moreFlags, Map<String, String> environment)
      throws IOException {
    Map<String, String> flags = new HashMap<>();
    moreFlags.forEach((key, value) -> putIfGiven(flags, key, value));
    putIfGiven(flags, ConnectionSettings.BOOTSTRAP_SERVERS, bootstrapServers);
    putIfGiven(flags, ConnectionSettings.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
    return ConnectionSettings.resolve(configFile, environment, flags);
  }

  private static void putIfGiven(Map<String, String> flags, String key, String value) {
    if (value != null) {
      flags.put(key, value);
    }
  }
}
