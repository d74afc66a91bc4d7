package io.glimpse.ops.embedded;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Formats a data directory for KRaft the first time it is used, as {@code kafka-storage.sh format}
 * would. A formatted directory is never formatted again: its {@code meta.properties} keeps the
 * cluster id, so a restart finds the same cluster, topics and data.
 */
final class KraftStorage {
  private static final Logger LOG = LoggerFactory.getLogger(KraftStorage.class);
  static final String META_PROPERTIES = "meta.properties";

  private KraftStorage() {}

  /** Formats {@code dir} unless it already holds {@code meta.properties}. */
  static void formatIfNeeded(Path dir) {
    if (Files.exists(dir.resolve(META_PROPERTIES))) {
      LOG.debug("{} is already formatted", dir);
      return;
    }
    String clusterId = Uuid.randomUuid().toString();
    Formatter formatter =
        new Formatter()
            .setPrintStream(
                new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
            .setNodeId(BrokerProperties.NODE_ID)
            .setClusterId(clusterId)
            .setDirectories(List.of(dir.toString()))
            .setMetadataLogDirectory(dir.toString())
            .setControllerListenerName(BrokerProperties.CONTROLLER_LISTENER)
            .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION);
    try {
      formatter.run();
    } catch (Exception e) {
      throw new EmbeddedStackException(
          "Could not format Kafka storage in "
              + dir
              + ": "
              + e.getMessage()
              + ". Pass an empty or missing directory, or one this stack formatted before.",
          e);
    }
    LOG.info("Formatted Kafka storage in {} (cluster id {})", dir, clusterId);
  }
}
