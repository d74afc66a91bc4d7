package io.glimpse.ops.cli.connection;

import io.glimpse.lifecycle.KafkaConnection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Where the CLI's client commands ({@code publish}, {@code tail}, {@code models}) find Kafka, the
 * schema registry and the model store, layered as the pipeline's settings are: built-in defaults
 * (the embedded stack's addresses, the store {@code glimpse train} writes to) &lt; a properties
 * file &lt; {@code GLIMPSE_*} environment variables &lt; command-line flags. So a pipeline's
 * properties file and environment work as they are: {@code bootstrap.servers} / {@code
 * GLIMPSE_KAFKA_BOOTSTRAP_SERVERS}, {@code schema.registry.url} / {@code
 * GLIMPSE_KAFKA_SCHEMA_REGISTRY_URL}, {@code glimpse.model.store} / {@code GLIMPSE_MODEL_STORE};
 * other Kafka client and registry settings in them (security, SASL, {@code basic.auth.*}) reach the
 * clients.
 *
 * @param bootstrapServers Kafka's bootstrap servers
 * @param schemaRegistryUrl the schema registry's URL
 * @param store the model store, a path or {@code file://} URI
 * @param clientProperties further Kafka client and registry settings
 */
public record ConnectionSettings(
    String bootstrapServers,
    String schemaRegistryUrl,
    String store,
    Map<String, Object> clientProperties) {

  /** The key of Kafka's bootstrap servers, in a file and among the flags. */
  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";

  /** The key of the schema registry URL. */
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";

  /** The key of the model store. */
  public static final String MODEL_STORE = "glimpse.model.store";

  /** The embedded stack's addresses ({@code glimpse stack}) and {@code glimpse train}'s store. */
  static final Map<String, String> DEFAULTS =
      Map.of(
          BOOTSTRAP_SERVERS,
          "127.0.0.1:9092",
          SCHEMA_REGISTRY_URL,
          "http://127.0.0.1:8081",
          MODEL_STORE,
          "models");

  private static final String ENV_KAFKA_PREFIX = "GLIMPSE_KAFKA_";
  private static final String ENV_STORE = "GLIMPSE_MODEL_STORE";
  private static final Set<String> REGISTRY_PREFIXES =
      Set.of("schema.registry.", "basic.auth.", "max.retries", "retries.", "http.");

  /**
   * Layers the settings.
   *
   * @param file a properties file, or null
   * @param env the environment
   * @param flags settings given on the command line (absent keys were not given)
   * @return the settings
   * @throws IOException when the file cannot be read
   */
  public static ConnectionSettings resolve(
      Path file, Map<String, String> env, Map<String, String> flags) throws IOException {
    Map<String, String> merged = new TreeMap<>(DEFAULTS);
    merged.putAll(read(file));
    env.forEach(
        (name, value) -> {
          if (name.startsWith(ENV_KAFKA_PREFIX) && name.length() > ENV_KAFKA_PREFIX.length()) {
            merged.put(keyOf(name.substring(ENV_KAFKA_PREFIX.length())), value);
          } else if (name.equals(ENV_STORE)) {
            merged.put(MODEL_STORE, value);
          }
        });
    merged.putAll(flags);
    Map<String, Object> clients = new HashMap<>();
    merged.forEach(
        (key, value) -> {
          if (isClientSetting(key)) {
            clients.put(key, value);
          }
        });
    return new ConnectionSettings(
        merged.get(BOOTSTRAP_SERVERS),
        merged.get(SCHEMA_REGISTRY_URL),
        merged.get(MODEL_STORE),
        clients);
  }

  /** The connection these settings describe, with a bound on every read and send. */
  public KafkaConnection kafka(Duration timeout) {
    return KafkaConnection.builder()
        .setBootstrapServers(bootstrapServers)
        .setSchemaRegistryUrl(schemaRegistryUrl)
        .optProperties(clientProperties)
        .optTimeout(timeout)
        .build();
  }

  /** Settings for a Kafka producer or consumer: the bootstrap servers and the client settings. */
  public Map<String, Object> clientConfig() {
    Map<String, Object> config = new HashMap<>(clientProperties);
    config.put(BOOTSTRAP_SERVERS, bootstrapServers);
    return config;
  }

  /** Settings for Glimpse's Avro serde: the registry URL and the registry's own settings. */
  public Map<String, Object> serdeConfig() {
    Map<String, Object> config = new HashMap<>(clientProperties);
    config.put(SCHEMA_REGISTRY_URL, schemaRegistryUrl);
    return config;
  }

  /**
   * Settings for the clients besides the two addresses: what a consumer or producer knows, and the
   * registry's own; a pipeline file's Streams settings (application.id, ...) stay out.
   */
  private static boolean isClientSetting(String key) {
    if (key.equals(BOOTSTRAP_SERVERS) || key.equals(SCHEMA_REGISTRY_URL)) {
      return false;
    }
    if (key.equals(ConsumerConfig.GROUP_ID_CONFIG)
        || key.equals(ProducerConfig.TRANSACTIONAL_ID_CONFIG)
        || key.equals(ConsumerConfig.CLIENT_ID_CONFIG)) {
      return false;
    }
    return ConsumerConfig.configNames().contains(key)
        || ProducerConfig.configNames().contains(key)
        || REGISTRY_PREFIXES.stream().anyMatch(key::startsWith);
  }

  private static Map<String, String> read(Path file) throws IOException {
    Map<String, String> values = new HashMap<>();
    if (file == null) {
      return values;
    }
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    } catch (IOException e) {
      throw new IOException("cannot read --config " + file + ": " + e.getMessage(), e);
    }
    properties.stringPropertyNames().forEach(k -> values.put(k, properties.getProperty(k).trim()));
    return values;
  }

  /** GLIMPSE_KAFKA_SECURITY_PROTOCOL -> security.protocol, as the pipeline reads it. */
  private static String keyOf(String envSuffix) {
    return envSuffix.toLowerCase(Locale.ROOT).replace('_', '.');
  }
}
