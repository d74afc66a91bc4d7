package io.glimpse.ops.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.registry.RestSchemaRegistryClient;
import io.glimpse.schemas.registry.SchemaRegistryClient;
import io.glimpse.schemas.topic.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker and the registry together, as the demo and the pipeline tests use them. */
class EmbeddedStackTest {
  @TempDir Path dataDir;

  @Test
  void producesAndConsumesImageEventsThroughTheRegistry() throws Exception {
    try (EmbeddedStack stack = EmbeddedStack.builder().optDataDir(dataDir).build().start()) {
      Map<String, Object> serdeConfig = stack.clientConfig();
      Serde<String> keys = Topics.IMAGES.keySerde(serdeConfig);
      Serde<ImageEvent> values = Topics.IMAGES.valueSerde(serdeConfig);
      ImageEvent image = image("img-" + UUID.randomUUID());

      try (KafkaProducer<String, ImageEvent> producer =
          new KafkaProducer<>(producerConfig(stack), keys.serializer(), values.serializer())) {
        producer.send(new ProducerRecord<>(Topics.IMAGES.name(), image.getId(), image)).get();
      }

      List<ConsumerRecord<String, ImageEvent>> read =
          readAll(stack, Topics.IMAGES.name(), keys, values, 1);
      assertThat(read).extracting(ConsumerRecord::value).containsExactly(image);
      assertThat(read.get(0).key()).isEqualTo(image.getId());
    }
  }

  @Test
  void createsGlimpsesTopicsWithTheirConfiguration() throws Exception {
    try (EmbeddedStack stack =
            EmbeddedStack.builder().optDataDir(dataDir).optPartitions(3).build().start();
        Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
      Map<String, TopicDescription> topics =
          admin
              .describeTopics(
                  Set.of(Topics.IMAGES.name(), Topics.MODEL_DEPLOYMENTS.name(), "_schemas"))
              .allTopicNames()
              .get();
      assertThat(topics.get(Topics.IMAGES.name()).partitions()).hasSize(3);
      assertThat(topics.get(Topics.MODEL_DEPLOYMENTS.name()).partitions()).hasSize(1);
      assertThat(topics.get("_schemas").partitions()).hasSize(1);
    }
  }

  @Test
  void restartKeepsEverySchemaIdAndAllocatesAboveThem() {
    Map<String, Integer> ids = new HashMap<>();
    try (EmbeddedStack stack = EmbeddedStack.builder().optDataDir(dataDir).build().start()) {
      SchemaRegistryClient client = client(stack);
      for (int i = 0; i < 5; i++) {
        ids.put("subject-" + i, client.register("subject-" + i, schema(i)));
      }
    }

    try (EmbeddedStack stack = EmbeddedStack.builder().optDataDir(dataDir).build().start()) {
      SchemaRegistryClient client = client(stack);
      for (int i = 0; i < 5; i++) {
        assertThat(client.getId("subject-" + i, schema(i))).isEqualTo(ids.get("subject-" + i));
        assertThat(client.getSchemaById(ids.get("subject-" + i))).isEqualTo(schema(i));
      }
      int next = client.register("subject-new", schema(99));
      assertThat(next)
          .isGreaterThan(ids.values().stream().mapToInt(Integer::intValue).max().orElseThrow());
    }
  }

  private static SchemaRegistryClient client(EmbeddedStack stack) {
    return RestSchemaRegistryClient.builder().setUrls(List.of(stack.schemaRegistryUrl())).build();
  }

  private static Schema schema(int i) {
    return SchemaBuilder.record("R" + i)
        .namespace("restart")
        .fields()
        .requiredLong("f")
        .endRecord();
  }

  static ImageEvent image(String id) {
    return ImageEvent.newBuilder()
        .setId(id)
        .setSource("test")
        .setContentType("application/x-raw-pixels")
        .setData(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}))
        .setWidth(2)
        .setHeight(2)
        .setChannels(1)
        .setEventTime(Instant.ofEpochMilli(1_764_000_000_000L))
        .build();
  }

  private static Map<String, Object> producerConfig(EmbeddedStack stack) {
    return Map.of("bootstrap.servers", stack.bootstrapServers(), "acks", "all");
  }

  private static <K, V> List<ConsumerRecord<K, V>> readAll(
      EmbeddedStack stack, String topic, Serde<K> keys, Serde<V> values, int expected) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            stack.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "test-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest");
    List<ConsumerRecord<K, V>> records = new ArrayList<>();
    try (KafkaConsumer<K, V> consumer =
        new KafkaConsumer<>(config, keys.deserializer(), values.deserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
