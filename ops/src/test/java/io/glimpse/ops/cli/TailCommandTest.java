package io.glimpse.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.ops.embedded.EmbeddedStack;
import io.glimpse.pipeline.dlq.DeadLetterHeaders;
import io.glimpse.schemas.avro.ClassScore;
import io.glimpse.schemas.avro.Prediction;
import io.glimpse.schemas.avro.Timings;
import io.glimpse.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code glimpse tail} on the embedded stack: predictions as lines and as JSON, only committed ones
 * (an aborted transaction's prediction never shows), a record that is not a prediction skipped with
 * a message, the dead-letter topic with its reasons, and an unreachable Kafka.
 */
class TailCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path root;
  private static EmbeddedStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = EmbeddedStack.builder().optDataDir(root.resolve("stack")).optPartitions(1).build();
    stack.start();
    var serializer = Topics.PREDICTIONS.valueSerde(stack.clientConfig()).serializer();
    try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
      send(
          producer,
          "predictions",
          "cat-1",
          serializer.serialize("predictions", prediction("cat-1", "cat", "cat")));
      send(producer, "predictions", "junk", "not avro".getBytes(StandardCharsets.UTF_8));
      send(
          producer,
          "predictions",
          "dog-7",
          serializer.serialize("predictions", prediction("dog-7", "cat", null)));
      RecordHeaders headers = new RecordHeaders();
      headers.add(DeadLetterHeaders.REASON, bytes("UNDECODABLE_IMAGE"));
      headers.add(
          DeadLetterHeaders.EXCEPTION, bytes("io.glimpse.model.image.ImageRejectedException"));
      headers.add(DeadLetterHeaders.MESSAGE, bytes("the image/png image cannot be decoded"));
      headers.add(DeadLetterHeaders.SOURCE_TOPIC, bytes("images"));
      headers.add(DeadLetterHeaders.SOURCE_PARTITION, bytes("0"));
      headers.add(DeadLetterHeaders.SOURCE_OFFSET, bytes("41"));
      producer
          .send(new ProducerRecord<>("images.dlq", null, bytes("broken-1"), bytes("x"), headers))
          .get();
    }
    try (KafkaProducer<byte[], byte[]> transactional =
        producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tail-test"))) {
      transactional.initTransactions();
      transactional.beginTransaction();
      send(
          transactional,
          "predictions",
          "aborted",
          serializer.serialize("predictions", prediction("aborted", "cat", null)));
      transactional.abortTransaction();
    }
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void printsOneLinePerCommittedPredictionAndSkipsWhatIsNotOne() {
    CliRun run = tail("--from-beginning", "--max", "3", "--timeout", "4");

    assertThat(run.code()).as("only two predictions were committed").isEqualTo(1);
    assertThat(run.out().lines())
        .containsExactly(
            "cat-1  cat 0.91 (true: cat)  model fashion 3  120 ms end to end (15 ms inference, batch 4)",
            "dog-7  cat 0.91  model fashion 3  120 ms end to end (15 ms inference, batch 4)");
    assertThat(run.err())
        .contains("Following predictions on " + stack.bootstrapServers() + " (from the beginning)")
        .contains("glimpse tail: predictions-0@1 skipped: not a readable Prediction")
        .contains("glimpse tail: 2 of 3 records arrived within 4 s.")
        .doesNotContain("aborted");
  }

  @Test
  void printsJsonLines() throws Exception {
    CliRun run = tail("--from-beginning", "--max", "2", "--json");

    assertThat(run.code()).as(run.printed()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(2);
    JsonNode first = JSON.readTree(lines.get(0));
    assertThat(first.get("imageId").asText()).isEqualTo("cat-1");
    assertThat(first.get("modelVersion").asText()).isEqualTo("3");
    assertThat(first.get("topK").get(0).get("label").asText()).isEqualTo("cat");
    assertThat(first.get("topK").get(0).get("probability").asDouble()).isBetween(0.90, 0.92);
    assertThat(first.get("timings").get("endToEndMs").asLong()).isEqualTo(120);
    assertThat(first.get("eventTime").asText()).isEqualTo("2026-11-29T10:00:00Z");
    assertThat(JSON.readTree(lines.get(1)).get("label").isNull()).isTrue();
  }

  @Test
  void followsTheDeadLetterTopicWithItsReasons() throws Exception {
    CliRun run = tail("--dlq", "--from-beginning", "--max", "1");
    assertThat(run.code()).as(run.printed()).isZero();
    assertThat(run.out())
        .isEqualTo(
            "images-0@41  UNDECODABLE_IMAGE  key broken-1  the image/png image cannot be decoded"
                + " (io.glimpse.model.image.ImageRejectedException)"
                + System.lineSeparator());

    CliRun json = tail("--dlq", "--from-beginning", "--max", "1", "--json");
    JsonNode letter = JSON.readTree(json.out());
    assertThat(letter.get("key").asText()).isEqualTo("broken-1");
    assertThat(letter.get("valueBytes").asInt()).isEqualTo(1);
    assertThat(letter.get("headers").get("glimpse.dlq.reason").asText())
        .isEqualTo("UNDECODABLE_IMAGE");
  }

  @Test
  void fromNowOnItWaitsForNewRecordsOnly() {
    CliRun run = tail("--timeout", "1");
    assertThat(run.code()).as(run.printed()).isZero();
    assertThat(run.out()).isEmpty();
  }

  @Test
  void anUnreachableKafkaFailsInOneLine() {
    CliRun run =
        CliRun.run("tail", "--bootstrap-servers", "127.0.0.1:1", "--timeout", "2", "--max", "1");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err().strip())
        .startsWith("glimpse: cannot follow predictions on Kafka at 127.0.0.1:1: ")
        .endsWith("bin/glimpse up starts one on this machine.")
        .doesNotContain("\n");
  }

  private static CliRun tail(String... args) {
    List<String> line = new ArrayList<>(List.of("tail"));
    line.addAll(List.of(args));
    return CliRun.on(
        stack.bootstrapServers(), stack.schemaRegistryUrl(), line.toArray(String[]::new));
  }

  private static Prediction prediction(String id, String top, String label) {
    return Prediction.newBuilder()
        .setImageId(id)
        .setSource("test")
        .setModelName("fashion")
        .setModelVersion("3")
        .setTopK(List.of(new ClassScore(top, 0, 0.91f), new ClassScore("dog", 1, 0.09f)))
        .setTimings(new Timings(30L, 15L, 120L))
        .setBatchSize(4)
        .setEventTime(Instant.parse("2026-11-29T10:00:00Z"))
        .setProcessedTime(Instant.parse("2026-11-29T10:00:00.120Z"))
        .setLabel(label)
        .build();
  }

  private static KafkaProducer<byte[], byte[]> producer(Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>(stack.clientConfig());
    config.putAll(extra);
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static void send(
      KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value)
      throws Exception {
    producer.send(new ProducerRecord<>(topic, bytes(key), value)).get();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
