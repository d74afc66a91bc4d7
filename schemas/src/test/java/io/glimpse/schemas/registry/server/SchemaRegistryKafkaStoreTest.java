package io.glimpse.schemas.registry.server;

import static io.glimpse.schemas.registry.server.SchemaRegistryServiceTest.canon;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** KafkaSchemaStore's reading and writing over Kafka's mock clients; no broker. */
class SchemaRegistryKafkaStoreTest {
  private static final String TOPIC = "_schemas";
  private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

  private final AtomicInteger topicChecks = new AtomicInteger();
  private final List<MockConsumer<String, String>> consumers = new ArrayList<>();
  private final List<MockProducer<String, String>> producers = new ArrayList<>();

  @Test
  void replaysTheTopicFromTheBeginningToTheEndOffset() {
    List<StoreRecord> log = new ArrayList<>();
    log.add(new StoreRecord("{\"keytype\":\"NOOP\",\"magic\":0}", null));
    log.add(StoreRecords.schema("user", 1, 4, canon(USER_V1), false));
    log.add(StoreRecords.config(null, CompatibilityLevel.FULL));

    try (KafkaSchemaStore store = store(log, Duration.ofSeconds(5))) {
      SchemaRegistryService registry = new SchemaRegistryService(store);

      assertThat(registry.latest("user").id()).isEqualTo(4);
      assertThat(registry.getConfig(null)).isEqualTo(CompatibilityLevel.FULL);
      assertThat(registry.register("image", IMAGE)).isEqualTo(5);
    }
    assertThat(consumers).singleElement().satisfies(c -> assertThat(c.closed()).isTrue());
    assertThat(topicChecks).hasValue(1);
    assertThat(producers).singleElement().satisfies(p -> assertThat(p.closed()).isTrue());
  }

  @Test
  void writesEveryChangeToPartitionZeroInItsOwnTransaction() {
    try (KafkaSchemaStore store = store(List.of(), Duration.ofSeconds(5))) {
      SchemaRegistryService registry = new SchemaRegistryService(store);
      registry.register("user", USER_V1);
      registry.setConfig("user", CompatibilityLevel.NONE);
    }

    StoreRecord expected = StoreRecords.schema("user", 1, 1, canon(USER_V1), false);
    MockProducer<String, String> producer = producers.get(0);
    assertThat(producer.history())
        .extracting(ProducerRecord::topic, ProducerRecord::partition, ProducerRecord::key)
        .containsExactly(
            tuple(TOPIC, 0, expected.key()),
            tuple(TOPIC, 0, StoreRecords.config("user", CompatibilityLevel.NONE).key()));
    assertThat(producer.history().get(0).value()).isEqualTo(expected.value());
    assertThat(producer.transactionInitialized()).isTrue();
    assertThat(producer.commitCount()).isEqualTo(2);
  }

  @Test
  void aFailedWriteChangesNothing() {
    try (KafkaSchemaStore store =
        store(List.of(), Duration.ofSeconds(5), new KafkaException("broker down"))) {
      SchemaRegistryService registry = new SchemaRegistryService(store);

      assertRegistryError(
          () -> registry.register("user", USER_V1),
          500,
          50001,
          e -> assertThat(e.registryMessage()).contains("write to _schemas", "broker down"));
      assertThat(registry.subjects()).isEmpty();
      assertThat(producers.get(0).closed()).isTrue();
    }
  }

  @Test
  void aTimedOutCommitChangesNothingBurnsItsIdAndTheNextWriteStartsAFreshProducer() {
    try (KafkaSchemaStore store =
        store(List.of(), Duration.ofMillis(50), new TimeoutException("Expiring 1 record(s)"))) {
      SchemaRegistryService registry = new SchemaRegistryService(store);

      assertRegistryError(() -> registry.register("user", USER_V1), 500, 50002);
      assertThat(registry.subjects()).isEmpty();
      assertThat(registry.register("image", IMAGE)).isEqualTo(2);
    }
    assertThat(producers).hasSize(2);
    assertThat(producers.get(0).history()).isEmpty();
    assertThat(producers.get(1).history())
        .extracting(ProducerRecord::value)
        .singleElement()
        .asString()
        .contains("\"id\":2");
  }

  @Test
  void aFencedCommitReadsTheLogAgainAndRetriesOnAFreshProducer() {
    List<StoreRecord> log = new ArrayList<>();
    StoreRecord byOther = StoreRecords.schema("image", 1, 1, canon(IMAGE), false);
    Runnable otherRegistryWrites =
        () -> {
          MockConsumer<String, String> consumer = consumers.get(0);
          consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 0, byOther.key(), byOther.value()));
          consumer.updateEndOffsets(Map.of(PARTITION, 1L));
        };
    try (KafkaSchemaStore store =
        new KafkaSchemaStore(
            TOPIC,
            Duration.ofSeconds(5),
            topicChecks::incrementAndGet,
            () -> consumer(log),
            () -> producers.isEmpty() ? fencedAfter(otherRegistryWrites) : producer(null))) {
      SchemaRegistryService registry = new SchemaRegistryService(store);

      assertThat(registry.register("user", USER_V1)).isEqualTo(2);
      assertThat(registry.schemaById(1)).isEqualTo(canon(IMAGE));
    }
    assertThat(producers).hasSize(2);
    assertThat(producers.get(0).closed()).isTrue();
    assertThat(producers.get(1).history())
        .extracting(ProducerRecord::value)
        .singleElement()
        .asString()
        .contains("\"id\":2");
  }

  @Test
  void anAppendOnAnOutdatedLogIsRefusedBeforeAnythingIsSent() {
    try (KafkaSchemaStore store = store(List.of(), Duration.ofSeconds(5))) {
      StoreRead read = store.read(0);
      consumers.get(0).updateEndOffsets(Map.of(PARTITION, 1L));

      List<StoreRecord> records = List.of(StoreRecords.config(null, CompatibilityLevel.NONE));
      assertThatThrownBy(() -> store.append(read.end(), records))
          .isInstanceOf(StoreConflictException.class)
          .hasMessageContaining("ends at offset 1, not at 0", "read the log again and retry");
    }
    assertThat(producers.get(0).history()).isEmpty();
    assertThat(producers.get(0).transactionInFlight()).isFalse();
  }

  @Test
  void theProducersTimeoutsStayWithinTheStoreTimeoutWhateverTheClientPropertiesSay() {
    Map<String, Object> asked =
        Map.of(
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000,
            ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000L,
            ProducerConfig.LINGER_MS_CONFIG, 100);
    StoreClientConfig config =
        KafkaSchemaStore.builder()
            .setBootstrapServers("127.0.0.1:1")
            .optTimeout(Duration.ofSeconds(5))
            .optClientProperties(asked)
            .clientConfig();

    Map<String, Object> producer = config.producer("p");

    assertThat(producer)
        .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000)
        .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000)
        .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000L)
        .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 0)
        .containsEntry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "glimpse-schema-registry-_schemas");
    assertThat(config.consumer("c")).containsEntry("isolation.level", "read_committed");
    // Kafka accepts the combination (delivery >= linger + request timeout); nothing connects yet.
    new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer())
        .close(Duration.ZERO);
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
    assertThatThrownBy(
            () ->
                KafkaSchemaStore.builder()
                    .setBootstrapServers("b:9092")
                    .optTimeout(Duration.ofMinutes(6))
                    .build())
        .hasMessageContaining("at most 5 minutes");
    assertThatThrownBy(
            () ->
                KafkaSchemaStore.builder()
                    .setBootstrapServers("b:9092")
                    .optTransactionalId(" ")
                    .build())
        .hasMessageContaining("same for every registry");
  }

  @Test
  void aBuiltStoreAcceptsItsClientSettingsAndCloses() {
    KafkaSchemaStore store =
        KafkaSchemaStore.builder()
            .setBootstrapServers("127.0.0.1:1")
            .optTopic("glimpse-test-schemas")
            .optTimeout(Duration.ofSeconds(2))
            .optTransactionalId("glimpse-test-registry")
            .optClientProperties(Map.of("reconnect.backoff.max.ms", 100))
            .build();
    store.close();

    assertThat(store.topic()).isEqualTo("glimpse-test-schemas");
    assertThatThrownBy(() -> store.read(0)).isInstanceOf(IllegalStateException.class);
  }

  private KafkaSchemaStore store(List<StoreRecord> log, Duration timeout) {
    return store(log, timeout, null);
  }

  /** A store whose first producer fails to commit with {@code failure} (when not null). */
  private KafkaSchemaStore store(
      List<StoreRecord> log, Duration timeout, RuntimeException failure) {
    return new KafkaSchemaStore(
        TOPIC,
        timeout,
        topicChecks::incrementAndGet,
        () -> consumer(log),
        () -> producer(producers.isEmpty() ? failure : null));
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

  private MockProducer<String, String> producer(RuntimeException commitFailure) {
    MockProducer<String, String> producer =
        new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
    producer.commitTransactionException = commitFailure;
    producers.add(producer);
    return producer;
  }

  /** A producer whose commit is fenced, as when another registry wrote meanwhile. */
  private MockProducer<String, String> fencedAfter(Runnable otherRegistryWrites) {
    MockProducer<String, String> producer =
        new MockProducer<>(true, null, new StringSerializer(), new StringSerializer()) {
          @Override
          public void commitTransaction() {
            otherRegistryWrites.run();
            throw new ProducerFencedException("another registry started writing");
          }
        };
    producers.add(producer);
    return producer;
  }
}
