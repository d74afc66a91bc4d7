package io.glimpse.ops.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private static EmbeddedKafkaBroker shared;

  @BeforeAll
  static void startSharedBroker() {
    shared = EmbeddedKafkaBroker.builder().build();
    shared.start();
  }

  @AfterAll
  static void stopSharedBroker() {
    Path dir = shared.dataDir();
    shared.close();
    assertThat(dir).doesNotExist();
  }

  @Test
  void producesAndConsumesARecord() throws Exception {
    String topic = uniqueTopic();
    shared.createTopics(List.of(new NewTopic(topic, 1, (short) 1)));
    shared.createTopics(List.of(new NewTopic(topic, 1, (short) 1))); // idempotent

    try (KafkaProducer<String, String> producer = producer(shared, Map.of())) {
      producer.send(new ProducerRecord<>(topic, "k", "hello")).get();
    }

    assertThat(shared.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
    assertThat(consumeOne(shared, topic, "read_uncommitted").value()).isEqualTo("hello");
  }

  @Test
  void transactionalProducerCommitsForReadCommittedConsumer() {
    String topic = uniqueTopic();
    shared.createTopics(List.of(new NewTopic(topic, 1, (short) 1)));
    Map<String, Object> tx = Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + topic);

    try (KafkaProducer<String, String> producer = producer(shared, tx)) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k", "committed"));
      producer.commitTransaction();
    }

    assertThat(consumeOne(shared, topic, "read_committed").value()).isEqualTo("committed");
  }

  @Test
  void exactlyOnceV2StreamsAppRuns(@TempDir Path stateDir) throws Exception {
    String in = uniqueTopic();
    String out = uniqueTopic();
    shared.createTopics(List.of(new NewTopic(in, 1, (short) 1), new NewTopic(out, 1, (short) 1)));
    try (KafkaProducer<String, String> producer = producer(shared, Map.of())) {
      producer.send(new ProducerRecord<>(in, "k", "shout")).get();
    }
    StreamsBuilder builder = new StreamsBuilder();
    builder.<String, String>stream(in).mapValues(v -> v.toUpperCase(Locale.ROOT)).to(out);

    try (KafkaStreams streams = new KafkaStreams(builder.build(), streamsConfig(in, stateDir))) {
      streams.start();
      assertThat(consumeOne(shared, out, "read_committed").value()).isEqualTo("SHOUT");
    }
  }

  private static Properties streamsConfig(String appId, Path stateDir) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "app-" + appId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, shared.bootstrapServers());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    return props;
  }

  @Test
  void restartOnTheSameDataDirKeepsClusterTopicAndRecord(@TempDir Path tmp) throws Exception {
    Path dataDir = tmp.resolve("kafka");
    String topic = uniqueTopic();
    String clusterId;
    try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.builder().optDataDir(dataDir).build()) {
      first.start();
      clusterId = clusterId(first);
      first.createTopics(List.of(new NewTopic(topic, 1, (short) 1)));
      try (KafkaProducer<String, String> producer = producer(first, Map.of())) {
        producer.send(new ProducerRecord<>(topic, "k", "kept")).get();
      }
    }
    assertThat(dataDir.resolve("meta.properties")).exists();

    try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.builder().optDataDir(dataDir).build()) {
      second.start();
      assertThat(clusterId(second)).isEqualTo(clusterId);
      assertThat(consumeOne(second, topic, "read_uncommitted").value()).isEqualTo("kept");
    }
    assertThat(dataDir).isDirectory();
  }

  @Test
  void aFileAsDataDirFailsWithATypedException(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");

    assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().optDataDir(file).build())
        .isInstanceOf(EmbeddedStackException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("is a file, not a directory");
  }

  @Test
  void invalidSettingsFailAtBuild() {
    assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().optPort(70_000).build())
        .isInstanceOf(EmbeddedStackException.class)
        .hasMessageContaining("between 0 and 65535");
    assertThatThrownBy(
            () ->
                EmbeddedKafkaBroker.builder()
                    .optBrokerProperties(Map.of("listeners", "PLAINTEXT://0.0.0.0:9092"))
                    .build())
        .isInstanceOf(EmbeddedStackException.class)
        .hasMessageContaining("listeners");
  }

  private static String uniqueTopic() {
    return "embedded-test-" + UUID.randomUUID();
  }

  private static String clusterId(EmbeddedKafkaBroker broker) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      return admin.describeCluster().clusterId().get();
    }
  }

  private static KafkaProducer<String, String> producer(
      EmbeddedKafkaBroker broker, Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>(extra);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  /** Subscribes with a fresh group from the earliest offset and polls until a record arrives. */
  private static ConsumerRecord<String, String> consumeOne(
      EmbeddedKafkaBroker broker, String topic, String isolation) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "group-" + topic,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            isolation);
    List<ConsumerRecord<String, String>> received = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(DEADLINE)
          .pollInSameThread()
          .pollDelay(Duration.ZERO)
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return !received.isEmpty();
              });
    }
    return received.get(0);
  }
}
