package io.glimpse.ops.embedded;

import java.net.BindException;
import java.nio.file.Path;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops the {@link KafkaRaftServer} on a formatted directory. Ports picked as free
 * (requested 0) can be taken by another process before Kafka binds them; then it retries with new
 * ones.
 */
final class KraftServerLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(KraftServerLauncher.class);
  private static final int BIND_ATTEMPTS = 3;

  /**
   * A started server and the ports it listens on.
   *
   * @param server the running node
   * @param ports its client and controller ports
   */
  record Started(KafkaRaftServer server, LoopbackPorts ports) {}

  private KraftServerLauncher() {}

  /** Starts the node; returns once {@link KafkaRaftServer#startup()} has returned. */
  static Started start(Path dir, int port, int controllerPort, Map<String, String> overrides) {
    for (int attempt = 1; ; attempt++) {
      LoopbackPorts ports = LoopbackPorts.resolve(port, controllerPort);
      KafkaRaftServer server = null;
      try {
        KafkaConfig config = new KafkaConfig(BrokerProperties.create(dir, ports, overrides), false);
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        return new Started(server, ports);
      } catch (Exception e) {
        stop(server);
        boolean portsPicked = port == 0 || controllerPort == 0;
        if (!isBindFailure(e) || !portsPicked || attempt == BIND_ATTEMPTS) {
          throw failure(dir, ports, e);
        }
        LOG.warn(
            "A port picked for Kafka was taken meanwhile ({}); retrying with new ports",
            e.toString());
      }
    }
  }

  /** Shuts the node down and waits for it; logs instead of throwing. Null is ignored. */
  static void stop(KafkaRaftServer server) {
    if (server == null) {
      return;
    }
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("Kafka did not shut down cleanly: {}", e.toString());
    }
  }

  private static EmbeddedStackException failure(Path dir, LoopbackPorts ports, Exception e) {
    if (isBindFailure(e)) {
      return new EmbeddedStackException(
          "Kafka could not listen on 127.0.0.1 ports "
              + ports.broker()
              + "/"
              + ports.controller()
              + ": "
              + e.getMessage()
              + ". Choose other ports, or 0 for any free port.",
          e);
    }
    return new EmbeddedStackException(
        "Kafka failed to start on data directory "
            + dir
            + ": "
            + e.getMessage()
            + ". If that directory holds data from another Kafka version or cluster, move it away"
            + " or pass an empty directory. Kafka's own error is logged above.",
        e);
  }

  private static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
    }
    return false;
  }
}
