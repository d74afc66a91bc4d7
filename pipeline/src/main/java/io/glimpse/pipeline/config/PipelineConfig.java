package io.glimpse.pipeline.config;

import io.glimpse.model.mobilenet.Precision;
import io.glimpse.model.store.S3StoreSettings;
import io.glimpse.pipeline.batch.BatchPolicy;
import io.glimpse.pipeline.batch.FaultPolicy;
import io.glimpse.pipeline.quality.QualitySettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's configuration: documented defaults ({@code glimpse-pipeline-defaults.properties}),
 * then a properties file, then environment variables, then explicit overrides, each layer winning
 * over the one before. Keys under {@code glimpse.} are Glimpse's own; every other key passes
 * straight through to Kafka Streams, its clients, and the Avro serde.
 */
public final class PipelineConfig {
  public static final String PREFIX = "glimpse.";
  public static final String IMAGES_TOPIC = "glimpse.topic.images";
  public static final String PREDICTIONS_TOPIC = "glimpse.topic.predictions";
  public static final String DLQ_TOPIC = "glimpse.topic.dlq";
  public static final String BATCH_MAX_SIZE = "glimpse.batch.max.size";
  public static final String BATCH_MAX_LINGER_MS = "glimpse.batch.max.linger.ms";
  public static final String BATCH_FLUSH_WHEN_IDLE = "glimpse.batch.flush.when.idle";
  public static final String BATCH_COMMIT_WHEN_IDLE = "glimpse.batch.commit.when.idle";
  public static final String DEPLOYMENTS_TOPIC = "glimpse.topic.deployments";
  public static final String SERVING_STATUS_TOPIC = "glimpse.topic.serving.status";
  public static final String MODEL_NAME = "glimpse.model.name";
  public static final String MODEL_STORE = "glimpse.model.store";
  public static final String MODEL_PATH = "glimpse.model.path";
  public static final String INSTANCE_ID = "glimpse.instance.id";
  public static final String MODEL_SHA256 = "glimpse.model.sha256";
  public static final String MODEL_DEVICE = "glimpse.model.device";
  public static final String MODEL_PRECISION = "glimpse.model.precision";
  public static final String MODEL_CACHE_DIR = "glimpse.model.cache.dir";
  public static final String MODEL_CACHE_MAX_BYTES = "glimpse.model.cache.max.bytes";
  public static final String S3_ENDPOINT = "glimpse.s3.endpoint";
  public static final String S3_REGION = "glimpse.s3.region";
  public static final String S3_PATH_STYLE = "glimpse.s3.path.style";
  public static final String TOP_K = "glimpse.prediction.top.k";
  public static final String IMAGE_MAX_PIXELS = "glimpse.image.max.pixels";
  public static final String IMAGE_MAX_BYTES = "glimpse.image.max.bytes";
  public static final String FAILURE_MAX_CONSECUTIVE = "glimpse.failure.max.consecutive";
  public static final String OUTAGE_RETRY_BACKOFF_MS = "glimpse.outage.retry.backoff.ms";
  public static final String OUTAGE_RETRY_BACKOFF_MAX_MS = "glimpse.outage.retry.backoff.max.ms";
  public static final String HTTP_HOST = "glimpse.http.host";
  public static final String HTTP_PORT = "glimpse.http.port";
  public static final String WEB_ENABLED = "glimpse.web.enabled";
  public static final String QUALITY_ENABLED = "glimpse.quality.enabled";
  public static final String SHADOW_PREDICTIONS_TOPIC = "glimpse.topic.predictions.shadow";
  public static final String LABELS_TOPIC = "glimpse.topic.labels";
  public static final String LABELS_DLQ_TOPIC = "glimpse.topic.labels.dlq";
  public static final String QUALITY_TOPIC = "glimpse.topic.quality";
  public static final String ALERTS_TOPIC = "glimpse.topic.alerts";
  public static final String VERSIONS_TOPIC = "glimpse.topic.versions";
  public static final String QUALITY_JOIN_WINDOW_MS = "glimpse.quality.join.window.ms";
  public static final String QUALITY_JOIN_GRACE_MS = "glimpse.quality.join.grace.ms";
  public static final String QUALITY_LATE_RETENTION_MS = "glimpse.quality.late.retention.ms";
  public static final String QUALITY_WINDOW_MS = "glimpse.quality.window.ms";
  public static final String QUALITY_EMIT_INTERVAL_MS = "glimpse.quality.emit.interval.ms";
  public static final String DRIFT_WINDOW_IMAGES = "glimpse.drift.window.images";
  public static final String DRIFT_PSI_THRESHOLD = "glimpse.drift.psi.threshold";

  static final String DEFAULTS_RESOURCE = "/glimpse-pipeline-defaults.properties";
  private static final String ENV_PREFIX = "GLIMPSE_";
  private static final String ENV_KAFKA_PREFIX = "GLIMPSE_KAFKA_";
  private static final Logger LOG = LoggerFactory.getLogger(PipelineConfig.class);

  private final Map<String, String> values;

  private PipelineConfig(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    batchPolicy(); // validate eagerly: a bad value fails at start, not at the first batch
    topK();
    maxPixels();
    httpPort();
    modelPrecision();
    qualitySettings();
  }

  /**
   * Loads defaults, then {@code file} (may be null), then {@code GLIMPSE_*} variables from {@code
   * env}, then {@code overrides}.
   *
   * @throws ConfigException naming the key of a missing file or a bad value
   */
  public static PipelineConfig load(Path file, Map<String, String> env, Map<String, ?> overrides) {
    Map<String, String> merged = defaults();
    if (file != null) {
      Map<String, String> fromFile = readFile(file);
      fromFile.keySet().stream()
          .filter(k -> k.startsWith(PREFIX) && !merged.containsKey(k))
          .forEach(k -> LOG.warn("Unknown Glimpse setting {} in {} is ignored", k, file));
      merged.putAll(fromFile);
    }
    merged.putAll(fromEnvironment(env, merged));
    overrides.forEach((k, v) -> merged.put(k, String.valueOf(v)));
    return new PipelineConfig(merged);
  }

  /** Defaults plus overrides: what tests use. */
  public static PipelineConfig of(Map<String, ?> overrides) {
    return load(null, Map.of(), overrides);
  }

  private static Map<String, String> defaults() {
    try (InputStream in = PipelineConfig.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
      Properties properties = new Properties();
      properties.load(in);
      return toMap(properties);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("Missing " + DEFAULTS_RESOURCE + " on the classpath", e);
    }
  }

  private static Map<String, String> readFile(Path file) {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Properties properties = new Properties();
      properties.load(in);
      return toMap(properties);
    } catch (IOException e) {
      throw new ConfigException(
          "Cannot read the pipeline configuration " + file + ": " + e.getMessage());
    }
  }

  /**
   * GLIMPSE_KAFKA_X_Y -> x.y (passed to Kafka); GLIMPSE_X_Y -> glimpse.x.y when that key exists.
   */
  static Map<String, String> fromEnvironment(Map<String, String> env, Map<String, String> known) {
    Map<String, String> result = new HashMap<>();
    env.forEach(
        (name, value) -> {
          if (name.startsWith(ENV_KAFKA_PREFIX)) {
            result.put(keyOf(name.substring(ENV_KAFKA_PREFIX.length())), value);
          } else if (name.startsWith(ENV_PREFIX)) {
            String key = PREFIX + keyOf(name.substring(ENV_PREFIX.length()));
            if (known.containsKey(key)) {
              result.put(key, value);
            }
          }
        });
    return result;
  }

  private static String keyOf(String envSuffix) {
    return envSuffix.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  private static Map<String, String> toMap(Properties properties) {
    Map<String, String> map = new HashMap<>();
    properties.stringPropertyNames().forEach(k -> map.put(k, properties.getProperty(k).trim()));
    return map;
  }

  /** Everything that is not a {@code glimpse.} key: for Kafka Streams and its clients. */
  public Properties streamsProperties() {
    Properties properties = new Properties();
    values.forEach(
        (k, v) -> {
          if (!k.startsWith(PREFIX)) {
            properties.put(k, v);
          }
        });
    return properties;
  }

  /** The configuration the Avro serde reads (the same pass-through keys). */
  public Map<String, Object> serdeConfig() {
    Map<String, Object> config = new HashMap<>();
    streamsProperties().forEach((k, v) -> config.put((String) k, v));
    return config;
  }

  /** The raw value of a key, if set and not blank. */
  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
  }

  /** All values, for logging the effective configuration (secrets are the caller's concern). */
  public Map<String, String> values() {
    return values;
  }

  public String imagesTopic() {
    return required(IMAGES_TOPIC);
  }

  public String predictionsTopic() {
    return required(PREDICTIONS_TOPIC);
  }

  public String dlqTopic() {
    return required(DLQ_TOPIC);
  }

  /** Batch size and linger, and whether to flush and commit when no input is waiting. */
  public BatchPolicy batchPolicy() {
    int size = (int) number(BATCH_MAX_SIZE, 1, 100_000);
    long linger = number(BATCH_MAX_LINGER_MS, 0, 600_000);
    return new BatchPolicy(
        size,
        Duration.ofMillis(linger),
        flag(BATCH_FLUSH_WHEN_IDLE, true),
        flag(BATCH_COMMIT_WHEN_IDLE, true));
  }

  private boolean flag(String key, boolean defaultValue) {
    Optional<String> value = get(key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    String text = value.get().trim().toLowerCase(Locale.ROOT);
    if (!text.equals("true") && !text.equals("false")) {
      throw new ConfigException(key, value.get(), "expected true or false");
    }
    return Boolean.parseBoolean(text);
  }

  /** The record byte limit, the failure limit and the outage retry backoff. */
  public FaultPolicy faultPolicy() {
    int maxBytes = (int) number(IMAGE_MAX_BYTES, 1, Integer.MAX_VALUE - 1024);
    int failures = (int) number(FAILURE_MAX_CONSECUTIVE, 1, 1_000);
    long backoff = number(OUTAGE_RETRY_BACKOFF_MS, 1, 3_600_000);
    long maxBackoff = number(OUTAGE_RETRY_BACKOFF_MAX_MS, backoff, 3_600_000);
    return new FaultPolicy(
        maxBytes, failures, Duration.ofMillis(backoff), Duration.ofMillis(maxBackoff));
  }

  public String deploymentsTopic() {
    return required(DEPLOYMENTS_TOPIC);
  }

  public String servingStatusTopic() {
    return required(SERVING_STATUS_TOPIC);
  }

  /**
   * The artifact to pin, ignoring deployments: {@code glimpse.model.path}, a path or a {@code
   * file:} URI (percent-encoded).
   *
   * @throws ConfigException when it is a URI that names no local file
   */
  public Optional<Path> modelPath() {
    return get(MODEL_PATH).map(PipelineConfig::localPath);
  }

  private static Path localPath(String text) {
    if (!text.startsWith("file:")) {
      return Path.of(text);
    }
    try {
      return Path.of(new URI(text));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new ConfigException(
          MODEL_PATH, text, "not a file: URI (" + e.getMessage() + "); or give a plain path");
    }
  }

  /** The model name whose deployments the pipeline follows, when not pinned to a path. */
  public Optional<String> modelName() {
    return get(MODEL_NAME);
  }

  /**
   * The model store deployments must point into ({@code glimpse.model.store}).
   *
   * @throws ConfigException when it is not set
   */
  public String modelStore() {
    return get(MODEL_STORE)
        .orElseThrow(
            () ->
                new ConfigException(
                    MODEL_STORE
                        + " is not set: to follow deployments of "
                        + get(MODEL_NAME).orElse("a model")
                        + ", point it at the model store the trainer writes to (e.g."
                        + " file:///var/glimpse/models or s3://bucket/prefix)"));
  }

  /**
   * How to reach an {@code s3://} model store and where to cache its versions: {@code glimpse.s3.*}
   * and {@code glimpse.model.cache.*}. Credentials are not settings: the AWS SDK's default chain
   * finds them.
   *
   * @throws ConfigException naming the key of a bad value
   */
  public S3StoreSettings s3StoreSettings() {
    S3StoreSettings.Builder builder = S3StoreSettings.builder();
    String key = S3_ENDPOINT;
    try {
      get(S3_ENDPOINT).ifPresent(builder::optEndpoint);
      key = S3_REGION;
      get(S3_REGION).ifPresent(builder::optRegion);
      builder.optPathStyle(flag(S3_PATH_STYLE, false));
      key = MODEL_CACHE_DIR;
      get(MODEL_CACHE_DIR).ifPresent(dir -> builder.optCacheDirectory(Path.of(dir)));
      builder.optCacheMaxBytes(number(MODEL_CACHE_MAX_BYTES, 1, Long.MAX_VALUE));
    } catch (IllegalArgumentException e) {
      // the message says what is wrong; the value is not repeated (an endpoint may hold a secret)
      throw new ConfigException(key + ": " + e.getMessage());
    }
    return builder.build();
  }

  /**
   * What to serve: pinned to {@code glimpse.model.path}, else following the deployments of {@code
   * glimpse.model.name}.
   *
   * @throws ConfigException when neither is set
   */
  public void checkModelSource() {
    if (modelPath().isEmpty() && modelName().isEmpty()) {
      throw new ConfigException(
          "Nothing to serve: set "
              + MODEL_NAME
              + " to serve what is deployed for a model name (with "
              + MODEL_STORE
              + "), or "
              + MODEL_PATH
              + " to pin one artifact (bin/glimpse train writes one)");
    }
    if (modelPath().isEmpty()) {
      modelStore();
    }
  }

  /** This instance's id in {@code model-serving-status}: set, or host name and process id. */
  public String instanceId() {
    return get(INSTANCE_ID).orElseGet(PipelineConfig::defaultInstanceId);
  }

  private static String defaultInstanceId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return host + "-" + ProcessHandle.current().pid();
  }

  public Optional<String> modelSha256() {
    return get(MODEL_SHA256);
  }

  public String modelDevice() {
    return get(MODEL_DEVICE).orElse("auto");
  }

  /**
   * What the served model computes in: {@code fp32} (default) or {@code bf16}.
   *
   * @throws ConfigException for any other value
   */
  public Precision modelPrecision() {
    String value = get(MODEL_PRECISION).orElse("fp32");
    try {
      return Precision.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(MODEL_PRECISION, value, "expected fp32 or bf16");
    }
  }

  public int topK() {
    return (int) number(TOP_K, 1, 1_000);
  }

  public long maxPixels() {
    return number(IMAGE_MAX_PIXELS, 1, Long.MAX_VALUE);
  }

  public String httpHost() {
    return get(HTTP_HOST).orElse("127.0.0.1");
  }

  /** The HTTP port; 0 picks a free one, -1 disables the endpoint. */
  public int httpPort() {
    return (int) number(HTTP_PORT, -1, 65_535);
  }

  /** Whether the HTTP endpoint also serves the live page ({@code /}, {@code /events}). */
  public boolean webEnabled() {
    return Boolean.parseBoolean(get(WEB_ENABLED).orElse("true"));
  }

  /**
   * How the pipeline joins late labels with predictions and watches drift.
   *
   * @throws ConfigException naming the key of a bad value
   */
  public QualitySettings qualitySettings() {
    try {
      return new QualitySettings(
          Boolean.parseBoolean(required(QUALITY_ENABLED)),
          new QualitySettings.Topics(
              predictionsTopic(),
              required(SHADOW_PREDICTIONS_TOPIC),
              required(LABELS_TOPIC),
              required(LABELS_DLQ_TOPIC),
              required(QUALITY_TOPIC),
              required(ALERTS_TOPIC),
              required(VERSIONS_TOPIC)),
          Duration.ofMillis(number(QUALITY_JOIN_WINDOW_MS, 1, Long.MAX_VALUE / 4)),
          Duration.ofMillis(number(QUALITY_JOIN_GRACE_MS, 0, Long.MAX_VALUE / 4)),
          Duration.ofMillis(number(QUALITY_LATE_RETENTION_MS, 0, Long.MAX_VALUE / 4)),
          Duration.ofMillis(number(QUALITY_WINDOW_MS, 1, Long.MAX_VALUE / 4)),
          Duration.ofMillis(number(QUALITY_EMIT_INTERVAL_MS, 1, Long.MAX_VALUE / 4)),
          (int) number(DRIFT_WINDOW_IMAGES, 10, 100_000_000),
          decimal(DRIFT_PSI_THRESHOLD));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  private double decimal(String key) {
    String value = required(key);
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new ConfigException(key, value, "expected a number");
    }
  }

  private String required(String key) {
    return get(key).orElseThrow(() -> new ConfigException(key + " must not be empty"));
  }

  private long number(String key, long min, long max) {
    String value = required(key);
    try {
      long n = Long.parseLong(value);
      if (n < min || n > max) {
        throw new ConfigException(key, value, "must be between " + min + " and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(key, value, "expected a whole number");
    }
  }
}
