package io.glimpse.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.ops.embedded.EmbeddedStack;
import io.glimpse.schemas.avro.ImageLabel;
import io.glimpse.schemas.topic.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code glimpse label}: labels keyed by image id, timestamped with their time; bad input exits 2.
 */
class LabelCommandTest {
  @TempDir static Path root;
  private static EmbeddedStack stack;

  @BeforeAll
  static void start() {
    stack = EmbeddedStack.builder().optDataDir(root.resolve("stack")).optPartitions(1).build();
    stack.start();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void publishesPairsAndAFileKeyedByImageIdAtTheirTime() throws Exception {
    Path file =
        Files.writeString(
            root.resolve("verdicts.csv"),
            "# id,label,time\nimg-2,Bag,2026-12-06T10:00:00Z\nimg-3,Coat\n");
    CliRun run =
        CliRun.on(
            stack.bootstrapServers(),
            stack.schemaRegistryUrl(),
            "label",
            "img-1=Sneaker",
            "--file",
            file.toString(),
            "--source",
            "reviewer:alice",
            "--time",
            "2026-12-06T09:00:00Z");
    assertThat(run.code()).as(run.printed()).isZero();
    assertThat(run.out()).contains("Published 3 label(s) to labels.");

    List<ConsumerRecord<String, ImageLabel>> records = read(3);
    assertThat(records).extracting(ConsumerRecord::key).containsExactly("img-1", "img-2", "img-3");
    assertThat(records.get(0).value().getLabel()).isEqualTo("Sneaker");
    assertThat(records.get(0).value().getSource()).isEqualTo("reviewer:alice");
    assertThat(records.get(0).timestamp())
        .isEqualTo(Instant.parse("2026-12-06T09:00:00Z").toEpochMilli());
    assertThat(records.get(1).timestamp())
        .isEqualTo(Instant.parse("2026-12-06T10:00:00Z").toEpochMilli());
  }

  @Test
  void badPairsLinesAndTimesExitWithTwoAndSayWhat() throws Exception {
    Path file = Files.writeString(root.resolve("bad.csv"), "img-1\n");
    assertThat(CliRun.run("label").err()).contains("Nothing to publish");
    CliRun pair = CliRun.run("label", "img-1");
    assertThat(pair.code()).isEqualTo(2);
    assertThat(pair.err()).contains("Expected <image id>=<label>, got 'img-1'");
    assertThat(CliRun.run("label", "--file", file.toString()).err())
        .contains("bad.csv line 1: expected <image id>,<label>");
    assertThat(CliRun.run("label", "a=b", "--time", "yesterday").err())
        .contains("'yesterday' is not an ISO-8601 instant");
  }

  private static List<ConsumerRecord<String, ImageLabel>> read(int count) {
    Map<String, Object> config = new HashMap<>(stack.clientConfig());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, ImageLabel>> records = new ArrayList<>();
    try (KafkaConsumer<String, ImageLabel> consumer =
        new KafkaConsumer<>(
            config,
            Topics.LABELS.keySerde(config).deserializer(),
            Topics.LABELS.valueSerde(config).deserializer())) {
      TopicPartition partition = new TopicPartition(Topics.LABELS.name(), 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
