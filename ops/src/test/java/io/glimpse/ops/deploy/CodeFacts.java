package io.glimpse.ops.deploy;

import io.glimpse.pipeline.GlimpsePipeline;
import io.glimpse.schemas.serde.AvroSerdeConfig;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What the chart must agree with, read from the code it deploys at test time: the variables the
 * launcher reads, the settings Kafka and the serde know, the pipeline's close timeout.
 */
final class CodeFacts {
  private static final Pattern LAUNCHER_VARIABLE = Pattern.compile("\\$\\{?(GLIMPSE_[A-Z_]+)");

  private CodeFacts() {}

  /** The GLIMPSE_* variables bin/glimpse itself reads (JVM options, log level...). */
  static Set<String> launcherVariables() throws IOException {
    String launcher = Files.readString(DeployAssets.repoRoot().resolve("bin/glimpse"));
    Set<String> names = new HashSet<>();
    Matcher m = LAUNCHER_VARIABLE.matcher(launcher);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** Every key Kafka Streams, its clients and Glimpse's Avro serde know. */
  static Set<String> knownKafkaKeys() {
    Set<String> keys = new HashSet<>(StreamsConfig.configDef().names());
    keys.addAll(ConsumerConfig.configNames());
    keys.addAll(ProducerConfig.configNames());
    keys.addAll(AdminClientConfig.configNames());
    for (Field field : AvroSerdeConfig.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        try {
          keys.add((String) field.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return keys;
  }

  /** The pipeline's close timeout in seconds, {@link GlimpsePipeline#CLOSE_TIMEOUT}. */
  static int pipelineCloseTimeoutSeconds() {
    return Math.toIntExact(GlimpsePipeline.CLOSE_TIMEOUT.toSeconds());
  }
}
