package io.glimpse.ops.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.schemas.registry.CompatibilityLevel;
import io.glimpse.schemas.registry.RestSchemaRegistryClient;
import io.glimpse.schemas.registry.SchemaRegistryClient;
import io.glimpse.schemas.registry.SchemaRegistryException;
import io.glimpse.schemas.registry.server.KafkaSchemaStore;
import io.glimpse.schemas.registry.server.SchemaRegistryServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Registries sharing one {@code _schemas} topic on a real broker, as when a registry is scaled out
 * or restarted beside a running one: no schema id is ever bound to two schemas, whatever the
 * interleaving of their writes or a write that timed out.
 */
class SharedSchemasTopicTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker =
        EmbeddedKafkaBroker.builder()
            .optBrokerProperties(
                Map.of("authorizer.class.name", WriteHoldingAuthorizer.class.getName()))
            .build();
    broker.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void twoRegistriesRegisteringConcurrentlyNeverHandOutOneIdTwice() throws Exception {
    String topic = "_schemas-" + UUID.randomUUID();
    try (SchemaRegistryServer first = registry(topic, Duration.ofSeconds(30));
        SchemaRegistryServer second = registry(topic, Duration.ofSeconds(30))) {
      List<SchemaRegistryClient> clients = List.of(client(first), client(second));
      for (SchemaRegistryClient client : clients) { // each sets it, as each would see it
        client.updateCompatibility(null, CompatibilityLevel.NONE);
      }
      List<Callable<Integer>> tasks = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        SchemaRegistryClient client = clients.get(i % 2);
        String subject = "shared-" + (i % 4); // both registries add versions to every subject
        Schema schema = schema(i);
        tasks.add(() -> client.register(subject, schema));
      }

      List<Integer> ids = runConcurrently(tasks);

      assertThat(ids).doesNotHaveDuplicates();
      for (int i = 0; i < ids.size(); i++) {
        for (SchemaRegistryClient client : clients) {
          assertThat(client.getSchemaById(ids.get(i))).isEqualTo(schema(i));
        }
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                for (String subject : List.of("shared-0", "shared-1", "shared-2", "shared-3")) {
                  assertThat(clients.get(1).getLatestSchemaMetadata(subject))
                      .isEqualTo(clients.get(0).getLatestSchemaMetadata(subject));
                  assertThat(clients.get(0).getLatestSchemaMetadata(subject).version())
                      .isEqualTo(4);
                }
              });
      assertThat(schemasById(topic)).allSatisfy((id, schemas) -> assertThat(schemas).hasSize(1));
    }
  }

  @Test
  void aWriteThatTimedOutNeverLandsUnderAnIdGivenToAnotherSchema() throws Exception {
    String topic = "_schemas-" + UUID.randomUUID();
    try (SchemaRegistryServer registry = registry(topic, Duration.ofSeconds(2))) {
      WriteHoldingAuthorizer.hold(topic); // the broker takes the write but answers too late
      try {
        assertThatThrownBy(() -> registry.service().register("a", schema(1).toString()))
            .isInstanceOfSatisfying(
                SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(500));
        assertThat(WriteHoldingAuthorizer.held()).isPositive();
      } finally {
        WriteHoldingAuthorizer.release(); // a write still pending now lands
      }
      int id = client(registry).register("b", schema(2));

      assertThat(client(registry).getSchemaById(id)).isEqualTo(schema(2));
      Map<Integer, Set<String>> log = schemasById(topic);
      assertThat(log).containsKey(id);
      assertThat(log).allSatisfy((logged, schemas) -> assertThat(schemas).hasSize(1));
    }
  }

  private static SchemaRegistryServer registry(String topic, Duration timeout) {
    KafkaSchemaStore store =
        KafkaSchemaStore.builder()
            .setBootstrapServers(broker.bootstrapServers())
            .optTopic(topic)
            .optTimeout(timeout)
            .build();
    return SchemaRegistryServer.builder().setStore(store).build().start();
  }

  private static SchemaRegistryClient client(SchemaRegistryServer server) {
    return RestSchemaRegistryClient.builder().setUrls(List.of(server.url())).build();
  }

  private static Schema schema(int i) {
    return SchemaBuilder.record("R" + i).namespace("shared").fields().requiredLong("f").endRecord();
  }

  private static List<Integer> runConcurrently(List<Callable<Integer>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Integer> results = new ArrayList<>();
      for (Future<Integer> future : pool.invokeAll(tasks)) {
        results.add(future.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Every schema id in the committed log with the schema texts written under it. */
  private static Map<Integer, Set<String>> schemasById(String topic) throws IOException {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    TopicPartition partition = new TopicPartition(topic, 0);
    Map<Integer, Set<String>> byId = new TreeMap<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      List<ConsumerRecord<String, String>> records = new ArrayList<>();
      while (consumer.position(partition) < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      for (ConsumerRecord<String, String> record : records) {
        JsonNode value = record.value() == null ? null : JSON.readTree(record.value());
        if (value != null && value.has("id")) {
          byId.computeIfAbsent(value.get("id").asInt(), id -> new TreeSet<>())
              .add(value.get("schema").asText());
        }
      }
    }
    return byId;
  }
}
