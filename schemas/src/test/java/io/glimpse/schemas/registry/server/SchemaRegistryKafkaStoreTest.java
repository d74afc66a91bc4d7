package io.glimpse.schemas.registry.server;

import static io.glimpse.schemas.registry.server.TestSchemas.IMAGE;
import static io.glimpse.schemas.registry.server.TestSchemas.USER_V1;
import static io.glimpse.schemas.registry.server.TestSchemas.assertRegistryError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.glimpse.schemas.registry.CompatibilityLevel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** KafkaSchemaStore's reading and writing over Kafka's mock clients; no broker. */
class SchemaRegistryKafkaStoreTest {
  private static final String TOPIC = "_schemas";
  private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

  private final AtomicInteger topicChecks = new AtomicInteger();
  private final List<MockConsumer<String, String>> consumers = new ArrayList<>();

  @Test
  void replaysTheTopicFromTheBeginningToTheEndOffset() {
    List<StoreRecord> log = new ArrayList<>();
    log.add(new StoreRecord("{\"keytype\":\"NOOP\",\"magic\":0}", null));
    log.add(StoreRecords.schema("user", 1, 4, SchemaRegistryServiceTest.canon(USER_V1), false));
    log.add(StoreRecords.config(null, CompatibilityLevel.FULL));
    MockProducer<String, String> producer = producer(true);

    try (KafkaSchemaStore store = store(log, producer, Duration.ofSeconds(5))) {
      SchemaRegistryService registry = new SchemaRegistryService(store);

      assertThat(registry.latest("user").id()).isEqualTo(4);
      assertThat(registry.getConfig(null)).isEqualTo(CompatibilityLevel.FULL);
      assertThat(registry.register("image", IMAGE)).isEqualTo(5);
    }
    assertThat(consumers).singleElement().satisfies(c -> assertThat(c.closed()).isTrue());
    assertThat(topicChecks).hasValue(1);
    assertThat(producer.closed()).isTrue();
  }

  @Test
  void writesEveryChangeToPartitionZero() {
    MockProducer<String, String> producer = producer(true);
    try (KafkaSchemaStore store = store(List.of(), producer, Duration.ofSeconds(5))) {
      SchemaRegistryService registry = new SchemaRegistryService(store);
      registry.register("user", USER_V1);
      registry.setConfig("user", CompatibilityLevel.NONE);
    }

    StoreRecord expected =
        StoreRecords.schema("user", 1, 1, SchemaRegistryServiceTest.canon(USER_V1), false);
    assertThat(producer.history())
        .extracting(ProducerRecord::topic, ProducerRecord::partition, ProducerRecord::key)
        .containsExactly(
            tuple(TOPIC, 0, expected.key()),
            tuple(TOPIC, 0, StoreRecords.config("user", CompatibilityLevel.NONE).key()));
    assertThat(producer.history().get(0).value()).isEqualTo(expected.value());
  }

  @Test
  void aFailedWriteChangesNothing() {
    MockProducer<String, String> producer = producer(true);
    try (KafkaSchemaStore store = store(List.of(), producer, Duration.ofSeconds(5))) {
      SchemaRegistryService registry = new SchemaRegistryService(store);
      producer.sendException = new KafkaException("broker down");

      assertRegistryError(
          () -> registry.register("user", USER_V1),
          500,
          50001,
          e -> assertThat(e.registryMessage()).contains("write to _schemas", "broker down"));
      assertThat(registry.subjects()).isEmpty();
    }
  }

  @Test
  void anUnacknowledgedWriteTimesOutAndChangesNothing() {
    MockProducer<String, String> producer = producer(false);
    try (KafkaSchemaStore store = store(List.of(), producer, Duration.ofMillis(50))) {
      SchemaRegistryService registry = new SchemaRegistryService(store);

      assertRegistryError(() -> registry.setConfig(null, CompatibilityLevel.NONE), 500, 50002);
      assertThat(registry.getConfig(null)).isEqualTo(CompatibilityLevel.BACKWARD);
    }
  }

  @Test
  void builderChecksItsSettings() {
    assertThatThrownBy(() -> KafkaSchemaStore.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("setBootstrapServers");
    assertThatThrownBy(
            () -> KafkaSchemaStore.builder().setBootstrapServers("b:9092").optTopic("a/b").build())
        .hasMessageContaining("'a/b'");
    assertThatThrownBy(
            () ->
                KafkaSchemaStore.builder()
                    .setBootstrapServers("b:9092")
                    .optReplicationFactor((short) 0)
                    .build())
        .hasMessageContaining("at least 1");
    assertThatThrownBy(
            () ->
                KafkaSchemaStore.builder()
                    .setBootstrapServers("b:9092")
                    .optTimeout(Duration.ZERO)
                    .build())
        .hasMessageContaining("positive");
  }

  @Test
  void aBuiltStoreAcceptsItsClientSettingsAndCloses() {
    KafkaSchemaStore store =
        KafkaSchemaStore.builder()
            .setBootstrapServers("127.0.0.1:1")
            .optTopic("glimpse-test-schemas")
            .optTimeout(Duration.ofSeconds(2))
            .optClientProperties(Map.of("reconnect.backoff.max.ms", 100))
            .build();
    store.close();

    assertThat(store.topic()).isEqualTo("glimpse-test-schemas");
    assertThatThrownBy(store::readAll).isInstanceOf(IllegalStateException.class);
  }

  private KafkaSchemaStore store(
      List<StoreRecord> log, MockProducer<String, String> producer, Duration timeout) {
    return new KafkaSchemaStore(
        TOPIC, timeout, topicChecks::incrementAndGet, () -> consumer(log), producer);
  }

  private MockConsumer<String, String> consumer(List<StoreRecord> log) {
    MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
    consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
    consumer.updateEndOffsets(Map.of(PARTITION, (long) log.size()));
    consumer.schedulePollTask(
        () -> {
          for (int offset = 0; offset < log.size(); offset++) {
            StoreRecord r = log.get(offset);
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, r.key(), r.value()));
          }
        });
    consumers.add(consumer);
    return consumer;
  }

  private static MockProducer<String, String> producer(boolean autoComplete) {
    return new MockProducer<>(autoComplete, null, new StringSerializer(), new StringSerializer());
  }
}
