package io.glimpse.ops.cli;

import io.glimpse.ops.embedded.EmbeddedKafkaBroker;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where and on which ports the embedded stack runs; shared by {@code stack} and {@code demo}. */
public final class StackOptions {
  @Option(
      names = "--data-dir",
      defaultValue = "data/kafka",
      description = "Kafka data directory, kept across runs (default: ${DEFAULT-VALUE}).")
  private Path dataDir;

  @Option(
      names = "--port",
      defaultValue = "9092",
      description =
          "Kafka client port on 127.0.0.1; 0 = any free port (default: ${DEFAULT-VALUE}).")
  private int port;

  @Option(
      names = "--controller-port",
      defaultValue = "0",
      description =
          "KRaft controller port on 127.0.0.1; 0 = any free port (default: ${DEFAULT-VALUE}).")
  private int controllerPort;

  /** A broker built from these options; not started yet. */
  EmbeddedKafkaBroker newBroker() {
    return EmbeddedKafkaBroker.builder()
        .optDataDir(dataDir)
        .optPort(port)
        .optControllerPort(controllerPort)
        .build();
  }
}
