package io.glimpse.schemas.serde;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * The configuration of Glimpse's Avro serde, read from the same keys Confluent's
 * KafkaAvroSerializer and KafkaAvroDeserializer read, so either class can be swapped in by
 * configuration alone.
 *
 * @param registryUrls {@code schema.registry.url}, split on commas; a {@code mock://scope} URL
 *     selects an in-process registry
 * @param autoRegisterSchemas {@code auto.register.schemas} (default true)
 * @param useLatestVersion {@code use.latest.version} (default false): write with the subject's
 *     latest schema instead of the record's own
 * @param specificAvroReader {@code specific.avro.reader} (default false): read generated classes
 *     instead of GenericRecord
 * @param subjectNameStrategy {@code key.subject.name.strategy} or {@code
 *     value.subject.name.strategy}, by whether the serde is for keys
 * @param basicAuthUserInfo {@code user:password} from {@code basic.auth.user.info} (source
 *     USER_INFO) or from the URL (source URL); null for no authentication
 * @param maxRetries {@code max.retries}: retries of a transient registry failure (default 3)
 * @param retryBackoff {@code retries.wait.ms}: first backoff, doubled per retry (default 200 ms)
 * @param retryMaxBackoff {@code retries.max.wait.ms}: backoff cap (default 5 s)
 * @param requestTimeout {@code http.read.timeout.ms}: one HTTP request (default 30 s)
 */
public record AvroSerdeConfig(
    List<String> registryUrls,
    boolean autoRegisterSchemas,
    boolean useLatestVersion,
    boolean specificAvroReader,
    SubjectNameStrategy subjectNameStrategy,
    String basicAuthUserInfo,
    int maxRetries,
    Duration retryBackoff,
    Duration retryMaxBackoff,
    Duration requestTimeout) {

  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  public static final String USE_LATEST_VERSION = "use.latest.version";
  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
  public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
  public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

  /** Newer Confluent clients spell the user info with the registry prefix; both are read. */
  public static final String SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO =
      "schema.registry.basic.auth.user.info";

  public static final String MAX_RETRIES = "max.retries";
  public static final String RETRIES_WAIT_MS = "retries.wait.ms";
  public static final String RETRIES_MAX_WAIT_MS = "retries.max.wait.ms";
  public static final String HTTP_READ_TIMEOUT_MS = "http.read.timeout.ms";

  /** URL scheme of the in-process registry used in tests. */
  public static final String MOCK_SCHEME = "mock://";

  /**
   * Reads the configuration a Kafka client hands to {@code configure(configs, isKey)}.
   *
   * @throws ConfigException naming the key when a value is missing or invalid
   */
  public static AvroSerdeConfig from(Map<String, ?> configs, boolean isKey) {
    Object urlValue = configs.get(SCHEMA_REGISTRY_URL);
    if (urlValue == null || urlValue.toString().isBlank()) {
      throw new ConfigException(
          "Missing required configuration \""
              + SCHEMA_REGISTRY_URL
              + "\": set it to the registry's URL(s), e.g. http://127.0.0.1:8081, or mock://<scope>"
              + " in tests");
    }
    List<String> urls = parseUrls(urlValue);
    String strategyKey = isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY;
    return new AvroSerdeConfig(
        urls,
        bool(configs, AUTO_REGISTER_SCHEMAS, true),
        bool(configs, USE_LATEST_VERSION, false),
        bool(configs, SPECIFIC_AVRO_READER, false),
        SubjectNameStrategy.fromConfig(strategyKey, configs.get(strategyKey)),
        userInfo(configs, urls),
        (int) number(configs, MAX_RETRIES, 3),
        Duration.ofMillis(number(configs, RETRIES_WAIT_MS, 200)),
        Duration.ofMillis(number(configs, RETRIES_MAX_WAIT_MS, 5_000)),
        Duration.ofMillis(number(configs, HTTP_READ_TIMEOUT_MS, 30_000)));
  }

  /** Whether the URLs name the in-process registry. */
  public boolean isMock() {
    return registryUrls.get(0).startsWith(MOCK_SCHEME);
  }

  private static List<String> parseUrls(Object value) {
    List<String> urls =
        (value instanceof List<?> list ? list.stream().map(Object::toString) : split(value))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u)
            .toList();
    long mocks = urls.stream().filter(u -> u.startsWith(MOCK_SCHEME)).count();
    if (mocks > 0 && (mocks != 1 || urls.size() != 1)) {
      throw new ConfigException(
          SCHEMA_REGISTRY_URL, value, "a mock:// URL cannot be combined with other URLs");
    }
    for (String url : urls) {
      if (!url.startsWith("http://") && !url.startsWith("https://") && mocks == 0) {
        throw new ConfigException(
            SCHEMA_REGISTRY_URL, value, "each URL must start with http://, https:// or mock://");
      }
    }
    return urls;
  }

  private static java.util.stream.Stream<String> split(Object value) {
    return Arrays.stream(value.toString().split(","));
  }

  private static String userInfo(Map<String, ?> configs, List<String> urls) {
    Object source = configs.get(BASIC_AUTH_CREDENTIALS_SOURCE);
    String mode = source == null ? "" : source.toString().trim().toUpperCase(Locale.ROOT);
    switch (mode) {
      case "", "USER_INFO" -> {
        Object info = configs.get(BASIC_AUTH_USER_INFO);
        if (info == null) {
          info = configs.get(SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO);
        }
        if (info == null || info.toString().isEmpty()) {
          if (mode.isEmpty()) {
            return null;
          }
          throw new ConfigException(
              BASIC_AUTH_USER_INFO, null, "required when basic.auth.credentials.source=USER_INFO");
        }
        return info.toString();
      }
      case "URL" -> {
        java.net.URI uri = java.net.URI.create(urls.get(0));
        if (uri.getUserInfo() == null) {
          throw new ConfigException(
              SCHEMA_REGISTRY_URL,
              urls.get(0),
              "basic.auth.credentials.source=URL needs user:pass@");
        }
        return uri.getUserInfo();
      }
      default ->
          throw new ConfigException(
              BASIC_AUTH_CREDENTIALS_SOURCE, source, "supported sources are USER_INFO and URL");
    }
  }

  private static boolean bool(Map<String, ?> configs, String key, boolean fallback) {
    Object value = configs.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    String text = value.toString().trim().toLowerCase(Locale.ROOT);
    if (!text.equals("true") && !text.equals("false")) {
      throw new ConfigException(key, value, "expected true or false");
    }
    return Boolean.parseBoolean(text);
  }

  private static long number(Map<String, ?> configs, String key, long fallback) {
    Object value = configs.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      long n = value instanceof Number num ? num.longValue() : Long.parseLong(value.toString());
      if (n < 0) {
        throw new ConfigException(key, value, "must not be negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(key, value, "expected a whole number");
    }
  }
}
