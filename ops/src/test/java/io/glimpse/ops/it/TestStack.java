package io.glimpse.ops.it;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A Kafka cluster and a schema registry for one test: the embedded stack ({@link
 * EmbeddedTestStack}, always) or containers ({@link ContainerTestStack}, where Docker is). Test
 * bodies see only this, so the same body runs on both.
 */
interface TestStack extends AutoCloseable {

  /** Bootstrap servers reachable from this JVM. */
  String bootstrapServers();

  /** The registry's URL, reachable from this JVM. */
  String schemaRegistryUrl();

  /** Creates the topics and waits until they exist. */
  void createTopics(List<NewTopic> topics);

  /** Client settings that reach this stack: bootstrap servers and the registry URL. */
  Map<String, Object> clientConfig();

  /** Stops everything the stack started. */
  @Override
  void close();
}
