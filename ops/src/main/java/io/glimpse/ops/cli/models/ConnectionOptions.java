package io.glimpse.ops.cli.models;

import io.glimpse.lifecycle.KafkaConnection;
import io.glimpse.model.store.ModelStore;
import io.glimpse.model.store.ModelStoreException;
import io.glimpse.ops.cli.connection.ConnectionSettings;
import io.glimpse.ops.cli.connection.KafkaOptions;
import io.glimpse.ops.cli.connection.S3Options;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The connection options every {@code models} command takes: Kafka and the registry ({@link
 * KafkaOptions}, shared with {@code publish} and {@code tail}), the model store (and {@link
 * S3Options} for an {@code s3://} one) and a bound on every read and send; see {@link
 * ConnectionSettings} for how flags, {@code GLIMPSE_*} variables and {@code --config} combine.
 */
public final class ConnectionOptions {

  @Spec(Spec.Target.MIXEE)
  private CommandSpec mixee;

  @Mixin private KafkaOptions kafkaOptions;

  @Mixin private S3Options s3Options;

  @Option(
      names = "--store",
      paramLabel = "<uri>",
      description =
          "Model store, file:///path, a path or s3://bucket/prefix; the one the pipelines load"
              + " from (default: GLIMPSE_MODEL_STORE, glimpse.model.store in --config, else"
              + " models). For s3://, see --s3-*; credentials come from the AWS SDK's chain.")
  private String store;

  @Option(
      names = "--timeout",
      paramLabel = "<seconds>",
      defaultValue = "15",
      description =
          "Give up on Kafka or the registry after this many seconds per read or send"
              + " (default: ${DEFAULT-VALUE}).")
  private int timeoutSeconds;

  /** The settings, with flags over environment over file over defaults. */
  public ConnectionSettings settings() throws IOException {
    Map<String, String> flags = new HashMap<>();
    flags.put(ConnectionSettings.MODEL_STORE, store);
    return kafkaOptions.settings(flags);
  }

  /** Kafka and the registry, each read or send bounded by {@code --timeout}. */
  public KafkaConnection kafka() throws IOException {
    return settings().kafka(timeout());
  }

  /** The model store. */
  public ModelStore modelStore() throws IOException, ModelStoreException {
    return s3Options.open(settings().store());
  }

  /** The properties file given with {@code --config}, or null. */
  Path configFile() {
    return kafkaOptions.configFile();
  }

  /** The bound on one read or send. */
  Duration timeout() {
    if (timeoutSeconds < 1) {
      throw new ParameterException(mixee.commandLine(), "--timeout must be at least 1 second");
    }
    return Duration.ofSeconds(timeoutSeconds);
  }
}
