package io.glimpse.ops.cli.models;

import io.glimpse.model.store.ModelStore;
import io.glimpse.model.store.ModelStoreException;
import io.glimpse.model.store.ModelStores;
import io.glimpse.trainer.publish.KafkaConnection;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The connection options every {@code models} command takes; see {@link ConnectionSettings} for how
 * flags, {@code GLIMPSE_*} variables and {@code --config} combine.
 */
public final class ConnectionOptions {

  @Spec(Spec.Target.MIXEE)
  private CommandSpec mixee;

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
      names = "--store",
      paramLabel = "<uri>",
      description =
          "Model store, file:///path or a path; the one the pipelines load from (default:"
              + " GLIMPSE_MODEL_STORE, glimpse.model.store in --config, else models).")
  private String store;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "<file>",
      description =
          "A properties file, e.g. the pipeline's: the settings above and any Kafka client or"
              + " registry setting (security.protocol, sasl.*, basic.auth.*).")
  private Path configFile;

  @Option(
      names = "--timeout",
      paramLabel = "<seconds>",
      defaultValue = "15",
      description =
          "Give up on Kafka or the registry after this many seconds per read or send"
              + " (default: ${DEFAULT-VALUE}).")
  private int timeoutSeconds;

  /** The settings, with flags over environment over file over defaults. */
  ConnectionSettings settings() throws IOException {
    Map<String, String> flags = new HashMap<>();
    putIfGiven(flags, ConnectionSettings.BOOTSTRAP_SERVERS, bootstrapServers);
    putIfGiven(flags, ConnectionSettings.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
    putIfGiven(flags, ConnectionSettings.MODEL_STORE, store);
    return ConnectionSettings.resolve(configFile, System.getenv(), flags);
  }

  /** Kafka and the registry, each read or send bounded by {@code --timeout}. */
  KafkaConnection kafka() throws IOException {
    return settings().kafka(timeout());
  }

  /** The model store. */
  ModelStore modelStore() throws IOException, ModelStoreException {
    return ModelStores.open(settings().store());
  }

  /** The properties file given with {@code --config}, or null. */
  Path configFile() {
    return configFile;
  }

  /** The bound on one read or send. */
  Duration timeout() {
    if (timeoutSeconds < 1) {
      throw new ParameterException(mixee.commandLine(), "--timeout must be at least 1 second");
    }
    return Duration.ofSeconds(timeoutSeconds);
  }

  private static void putIfGiven(Map<String, String> flags, String key, String value) {
    if (value != null) {
      flags.put(key, value);
    }
  }
}
