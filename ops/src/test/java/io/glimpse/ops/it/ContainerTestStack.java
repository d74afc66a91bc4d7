package io.glimpse.ops.it;

import io.glimpse.schemas.serde.AvroSerdeConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Apache Kafka and Confluent's Schema Registry in containers (the images docker-compose.yml runs),
 * on a network of their own: the registry reaches the broker at {@code kafka:19092}, this JVM
 * through the ports Testcontainers maps. Needs a Docker engine; tests using it are marked
 * {@code @Testcontainers(disabledWithoutDocker = true)}.
 */
final class ContainerTestStack implements TestStack {
  static final String KAFKA_IMAGE = "apache/kafka:4.4.0";
  static final String REGISTRY_IMAGE = "confluentinc/cp-schema-registry:7.9.0";
  private static final int REGISTRY_PORT = 8081;

  private final Network network;
  private final KafkaContainer kafka;
  private final GenericContainer<?> registry;

  private ContainerTestStack(Network network, KafkaContainer kafka, GenericContainer<?> registry) {
    this.network = network;
    this.kafka = kafka;
    this.registry = registry;
  }

  /** Starts the broker, then the registry once it answers {@code GET /subjects}. */
  static ContainerTestStack start() {
    Network network = Network.newNetwork();
    KafkaContainer kafka =
        new KafkaContainer(KAFKA_IMAGE)
            .withNetwork(network)
            .withNetworkAliases("kafka")
            .withListener("kafka:19092");
    GenericContainer<?> registry =
        new GenericContainer<>(REGISTRY_IMAGE)
            .withNetwork(network)
            .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
            .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:" + REGISTRY_PORT)
            .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
            .withExposedPorts(REGISTRY_PORT)
            .dependsOn(kafka)
            .waitingFor(
                Wait.forHttp("/subjects")
                    .forStatusCode(200)
                    .withStartupTimeout(Duration.ofMinutes(2)));
    ContainerTestStack stack = new ContainerTestStack(network, kafka, registry);
    try {
      registry.start();
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
    return stack;
  }

  @Override
  public String bootstrapServers() {
    return kafka.getBootstrapServers();
  }

  @Override
  public String schemaRegistryUrl() {
    return "http://" + registry.getHost() + ":" + registry.getMappedPort(REGISTRY_PORT);
  }

  @Override
  public Map<String, Object> clientConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl());
    return config;
  }

  @Override
  public void createTopics(List<NewTopic> topics) {
    try (Admin admin =
        Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      admin.createTopics(topics).all().get(1, TimeUnit.MINUTES);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot create " + topics + " on " + bootstrapServers(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating " + topics, e);
    }
  }

  @Override
  public void close() {
    registry.stop();
    kafka.stop();
    network.close();
  }
}
