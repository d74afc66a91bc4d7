package io.glimpse.ops.cli;

import io.glimpse.ops.embedded.EmbeddedStack;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where and on which ports the embedded stack runs; shared by {@code stack} and {@code demo}. */
public final class StackOptions {
  @Option(
      names = "--data-dir",
      defaultValue = "data",
      description =
          "Data directory (Kafka's log under <dir>/kafka, the demo's models under"
              + " <dir>/models), kept across runs (default: ${DEFAULT-VALUE}).")
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

  @Option(
      names = "--registry-port",
      defaultValue = "8081",
      description =
          "Schema registry port on 127.0.0.1; 0 = any free port (default: ${DEFAULT-VALUE}).")
  private int registryPort;

  /** The data directory (Kafka under {@code <dir>/kafka}, models under {@code <dir>/models}). */
  Path dataDir() {
    return dataDir;
  }

  /** A stack built from these options; not started yet. */
  EmbeddedStack newStack() {
    return EmbeddedStack.builder()
        .optDataDir(dataDir)
        .optKafkaPort(port)
        .optControllerPort(controllerPort)
        .optRegistryPort(registryPort)
        .build();
  }
}
