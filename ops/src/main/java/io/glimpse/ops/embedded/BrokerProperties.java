package io.glimpse.ops.embedded;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The configuration of the single-node KRaft broker: broker and controller in one process, static
 * single-voter quorum, everything on 127.0.0.1, internal topics with replication factor 1.
 */
final class BrokerProperties {
  static final int NODE_ID = 1;
  static final String CONTROLLER_LISTENER = "CONTROLLER";

  /** Settings that define the node itself; callers set them through the builder instead. */
  private static final Set<String> RESERVED =
      Set.of(
          "process.roles",
          "node.id",
          "controller.quorum.voters",
          "controller.quorum.bootstrap.servers",
          "controller.listener.names",
          "listeners",
          "advertised.listeners",
          "listener.security.protocol.map",
          "inter.broker.listener.name",
          "log.dir",
          "log.dirs",
          "metadata.log.dir");

  private BrokerProperties() {}

  /** Fails when the caller's overrides touch a setting the embedded broker owns. */
  static void rejectReserved(Map<String, String> overrides) {
    Set<String> clashes = new TreeSet<>(overrides.keySet());
    clashes.retainAll(RESERVED);
    if (!clashes.isEmpty()) {
      throw new EmbeddedStackException(
          "Broker properties "
              + clashes
              + " are set by the embedded broker itself. Remove them; use optPort,"
              + " optControllerPort or optDataDir instead.");
    }
  }

  /** The full broker configuration; the caller's overrides win over the defaults. */
  static Map<String, String> create(Path dir, LoopbackPorts ports, Map<String, String> overrides) {
    String host = LoopbackPorts.HOST;
    Map<String, String> props = new LinkedHashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", Integer.toString(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + ports.controller());
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put(
        "listeners",
        "PLAINTEXT://"
            + host
            + ":"
            + ports.broker()
            + ",CONTROLLER://"
            + host
            + ":"
            + ports.controller());
    props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + ports.broker());
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("log.dirs", dir.toString());
    props.put("metadata.log.dir", dir.toString());
    props.putAll(singleNodeDefaults());
    props.putAll(overrides);
    return props;
  }

  /** Replication factor 1 everywhere, small memory footprint, no artificial delays. */
  private static Map<String, String> singleNodeDefaults() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("default.replication.factor", "1");
    props.put("min.insync.replicas", "1");
    // The default buffer takes 128 MiB of heap; a few MiB is plenty for compacted dev topics.
    props.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("group.streams.initial.rebalance.delay.ms", "0");
    // Fail instead of hanging when the node cannot start; start() gives up after 60 s anyway.
    props.put(
        "server.max.startup.time.ms", Long.toString(EmbeddedKafkaBroker.START_TIMEOUT.toMillis()));
    return props;
  }
}
