package io.glimpse.ops.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.ops.embedded.EmbeddedStack;
import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.registry.RestSchemaRegistryClient;
import io.glimpse.schemas.serde.GlimpseAvroSerializer;
import io.glimpse.schemas.topic.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Interop with a client nobody here wrote: Confluent's own Python client ({@code
 * confluent_kafka.avro}, Debian's python3-confluent-kafka) against the embedded broker and
 * registry, in both directions. Skipped when the Debian packages are missing, unless {@code
 * GLIMPSE_REQUIRE_PYTHON_INTEROP=true} (set by .ci/run), where it fails instead.
 */
class ConfluentPythonInteropTest {
  private static final String PYTHON = "/usr/bin/python3";
  private static final Path AVSC =
      Path.of("..", "schemas", "src", "main", "avro", "ImageEvent.avsc");
  private static EmbeddedStack stack;
  private static Path script;

  @BeforeAll
  static void startStack() throws IOException, InterruptedException {
    boolean available = pythonClientAvailable();
    if (!"true".equals(System.getenv("GLIMPSE_REQUIRE_PYTHON_INTEROP"))) {
      assumeThat(available)
          .as("apt-get install python3-confluent-kafka python3-avro python3-requests")
          .isTrue();
    }
    assertThat(available).as("Confluent's Python client is installed").isTrue();
    stack = EmbeddedStack.builder().optPartitions(1).build().start();
    script = Files.createTempFile("confluent_avro_client", ".py");
    try (InputStream in =
        ConfluentPythonInteropTest.class.getResourceAsStream("/interop/confluent_avro_client.py")) {
      Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @AfterAll
  static void stopStack() throws IOException {
    if (stack != null) {
      stack.close();
    }
    if (script != null) {
      Files.deleteIfExists(script);
    }
  }

  @Test
  void ourDeserializerReadsWhatConfluentsAvroProducerWrote() throws Exception {
    String topic = "interop-from-python-" + UUID.randomUUID();
    String id = "py-" + UUID.randomUUID();

    python(
        "produce", stack.bootstrapServers(), stack.schemaRegistryUrl(), topic, AVSC.toString(), id);

    Serde<ImageEvent> serde = Topics.IMAGES.valueSerde(stack.clientConfig());
    ImageEvent read = consumeOne(topic, serde);
    assertThat(read.getId()).isEqualTo(id);
    assertThat(read.getSource()).isEqualTo("python-confluent-kafka");
    assertThat(read.getData())
        .isEqualTo(ByteBuffer.wrap(new byte[] {0, 64, (byte) 128, (byte) 255}));
    assertThat(read.getEventTime()).isEqualTo(Instant.parse("2026-11-25T12:00:00.123Z"));
    assertThat(read.getMetadata()).containsEntry("written-by", "python");
    assertThat(read.getLabel()).isEqualTo("Bag");
    assertThat(read.getWidth()).isEqualTo(2);

    // Our serializer finds the schema Python registered: one version, one id, for both clients.
    Serde<ImageEvent> ours = Topics.IMAGES.valueSerde(stack.clientConfig());
    ours.serializer().serialize(topic, read);
    RestSchemaRegistryClient registry =
        RestSchemaRegistryClient.builder().setUrls(List.of(stack.schemaRegistryUrl())).build();
    assertThat(registry.getLatestSchemaMetadata(topic + "-value").version()).isEqualTo(1);
  }

  @Test
  void confluentsAvroConsumerReadsWhatOurSerializerWrote() throws Exception {
    String topic = "interop-to-python-" + UUID.randomUUID();
    ImageEvent image =
        ImageEvent.newBuilder()
            .setId("java-" + UUID.randomUUID())
            .setSource("glimpse-java")
            .setContentType("image/png")
            .setData(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G'}))
            .setEventTime(Instant.ofEpochMilli(1_764_072_000_456L))
            .setMetadata(Map.of("k", "v"))
            .setLabel(null)
            .build();
    Serde<ImageEvent> serde = Topics.IMAGES.valueSerde(stack.clientConfig());
    // The legacy AvroConsumer decodes keys as Avro too: write the key as an Avro string.
    GlimpseAvroSerializer<Object> keys = new GlimpseAvroSerializer<>();
    keys.configure(stack.clientConfig(), true);
    try (KafkaProducer<Object, ImageEvent> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", stack.bootstrapServers()), keys, serde.serializer())) {
      producer.send(new ProducerRecord<>(topic, image.getId(), image)).get();
    }

    String json =
        python(
            "consume",
            stack.bootstrapServers(),
            stack.schemaRegistryUrl(),
            topic,
            "py-" + UUID.randomUUID(),
            "60");

    JsonNode read = new ObjectMapper().readTree(json);
    assertThat(read.get("id").asText()).isEqualTo(image.getId());
    assertThat(read.get("_key").asText()).isEqualTo(image.getId());
    assertThat(read.get("source").asText()).isEqualTo("glimpse-java");
    assertThat(read.get("contentType").asText()).isEqualTo("image/png");
    assertThat(Base64.getDecoder().decode(read.get("data").asText()))
        .containsExactly((byte) 0x89, 'P', 'N', 'G');
    assertThat(read.get("eventTime").asLong()).isEqualTo(1_764_072_000_456L);
    assertThat(read.get("metadata").get("k").asText()).isEqualTo("v");
    assertThat(read.get("label").isNull()).isTrue();
    assertThat(read.get("width").isNull()).isTrue();
  }

  private static ImageEvent consumeOne(String topic, Serde<ImageEvent> serde) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            stack.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "java-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest");
    List<ImageEvent> read = new ArrayList<>();
    try (KafkaConsumer<byte[], ImageEvent> consumer =
        new KafkaConsumer<>(
            config,
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
            serde.deserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (read.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.value()));
      }
    }
    assertThat(read).as("record from the Python producer").hasSize(1);
    return read.get(0);
  }

  private static String python(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
    // Read stderr on its own thread so a chatty client cannot block on a full pipe.
    StringBuilder err = new StringBuilder();
    Thread errReader =
        new Thread(
            () -> {
              try {
                err.append(
                    new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                err.append(e);
              }
            });
    errReader.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean finished = process.waitFor(120, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    errReader.join(5_000);
    assertThat(finished).as("python finished; stderr: %s", err).isTrue();
    assertThat(process.exitValue()).as("python exit code; stderr: %s", err).isZero();
    return out.trim();
  }

  private static boolean pythonClientAvailable() throws InterruptedException {
    try {
      Process probe =
          new ProcessBuilder(PYTHON, "-c", "import confluent_kafka.avro, avro.schema, requests")
              .redirectErrorStream(true)
              .start();
      probe.getInputStream().readAllBytes();
      return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
