package io.glimpse.ops.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.ops.cli.GlimpseCli;
import io.glimpse.ops.embedded.EmbeddedStack;
import io.glimpse.ops.publish.DatasetImageSource;
import io.glimpse.ops.publish.EventPublisher;
import io.glimpse.ops.publish.LabelPublisher;
import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.avro.ImageLabel;
import io.glimpse.schemas.serde.AvroSerdeConfig;
import io.glimpse.schemas.topic.Topics;
import io.glimpse.trainer.data.DatasetOptions;
import io.glimpse.trainer.data.ImageDataset;
import io.glimpse.trainer.data.SyntheticShapes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code glimpse train --from-topic} on the embedded stack: 300 labelled and 20 unlabelled shapes
 * on a two-partition topic, then 100 more after a known instant. A range pinned by that instant
 * reads the same records (and digest) twice although the topic has grown; the whole topic gives
 * another digest; the unlabelled events are skipped and counted; {@code --init-from} fine-tunes the
 * stored first version and records it as the parent.
 */
class TrainFromTopicTest {

  private static final String TOPIC = "train-from-topic-images";
  private static final Pattern DIGEST = Pattern.compile("sha256:([0-9a-f]{64})");

  @TempDir static Path stackDir;
  @TempDir static Path dir;
  private static EmbeddedStack stack;
  private static Instant firstBatchEnd;
  private static final Map<String, String> unlabelled = new java.util.LinkedHashMap<>();

  @BeforeAll
  static void publishTwoBatches() {
    stack = EmbeddedStack.builder().optDataDir(stackDir).build().start();
    stack.broker().createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1)));
    ImageDataset shapes =
        SyntheticShapes.source(
                DatasetOptions.defaults().withLimit(480).withSeed(3), new InputShape(1, 32, 32))
            .load()
            .train();
    DatasetImageSource source = new DatasetImageSource(shapes, "shapes", 0, "test", "t");
    List<ImageEvent> first = new ArrayList<>();
    for (int i = 0; i < 320; i++) {
      ImageEvent event = source.event(i);
      if (i % 16 == 15) {
        unlabelled.put(event.getId(), event.getLabel());
        event = ImageEvent.newBuilder(event).setLabel(null).build();
      }
      first.add(event);
    }
    publish(first);
    firstBatchEnd = Instant.now().plusMillis(1);
    awaitClockPast(firstBatchEnd);
    List<ImageEvent> second = new ArrayList<>();
    for (int i = 320; i < 420; i++) {
      second.add(source.event(i));
    }
    publish(second);
  }

  @AfterAll
  static void stopStack() {
    stack.close();
  }

  @Test
  void aPinnedRangeGivesTheSameDigestAnotherRangeAnotherAndInitFromRecordsTheParent()
      throws Exception {
    String pinnedEnd = firstBatchEnd.toString();

    CliRun first = train("first", "--to-position", pinnedEnd);
    CliRun again = train("again", "--to-position", pinnedEnd);
    CliRun whole = train("whole", "--partitions", "0,1");
    CliRun child =
        train(
            "child",
            "--to-position",
            pinnedEnd,
            "--test-from-position",
            pinnedEnd,
            "--init-from",
            "shapes-topic:1");

    ModelManifest v1 = manifest("1");
    String digest = digest(v1);
    assertThat(first.out()).contains("sha256:" + digest, "skipped 20 unlabelled, 0 with an");
    assertThat(v1.getTrainingData().orElseThrow())
        .startsWith("kafka:" + TOPIC + " 0:[0,")
        .contains(" 1:[0,", " 300 images sha256:" + digest, "skipped 20 unlabelled");
    assertThat(v1.getParentVersion()).isEmpty();
    assertThat(digest(manifest("2"))).isEqualTo(digest);
    assertThat(ranges(manifest("2"))).isEqualTo(ranges(v1));
    assertThat(manifest("3").getTrainingData().orElseThrow()).contains(" 400 images ");
    assertThat(digest(manifest("3"))).isNotEqualTo(digest);
    ModelManifest v4 = manifest("4");
    assertThat(v4.getParentVersion()).contains("1");
    assertThat(v4.getTrainingData().orElseThrow())
        .contains("sha256:" + digest, "; test " + TOPIC, " 100 images sha256:");
    assertThat(v4.getMetrics()).containsKey("test_accuracy");
    assertThat(child.out()).contains("test ", "100 images");
    JsonNode provenance =
        new ObjectMapper()
            .readTree(dir.resolve("run-first/metrics.json").toFile())
            .at("/settings/dataProvenance/train");
    assertThat(provenance.get("sha256").asText()).isEqualTo(digest);
    assertThat(provenance.get("unlabelled").asInt()).isEqualTo(20);
    assertThat(provenance.get("partitions")).hasSize(2);
    assertThat(again.code() + whole.code()).isZero();
  }

  @Test
  void labelsPublishedLaterOnTheLabelsTopicLabelTheImagesThatHadNone() throws Exception {
    try (LabelPublisher labels =
        new LabelPublisher(
            stack.clientConfig(),
            Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl()),
            Topics.LABELS.name(),
            Duration.ofSeconds(30))) {
      unlabelled.forEach(
          (id, label) -> labels.send(new ImageLabel(id, label, "reviewer", Instant.now())));
      labels.flush();
    }

    CliRun run =
        trainModel(
            "late-labels",
            "shapes-labelled",
            "--to-position",
            firstBatchEnd.toString(),
            "--labels-topic",
            Topics.LABELS.name());

    String data =
        ModelManifest.fromJson(
                Files.readAllBytes(
                    dir.resolve("models/shapes-labelled/1").resolve("manifest.json")))
            .getTrainingData()
            .orElseThrow();
    assertThat(data).contains(" 320 images sha256:", "; labels labels 0:[0,", "20 labels of 20");
    assertThat(data).doesNotContain("unlabelled");
    assertThat(run.out()).contains("320 images");
  }

  private static CliRun train(String run, String... range) {
    return trainModel(run, "shapes-topic", range);
  }

  private static CliRun trainModel(String run, String name, String... range) {
    List<String> line =
        new ArrayList<>(
            List.of(
                "train",
                "--from-topic",
                TOPIC,
                "--input-size",
                "32",
                "--workers",
                "1",
                "--device",
                "cpu",
                "--name",
                name,
                "--store",
                dir.resolve("models").toUri().toString(),
                "--output",
                dir.resolve("run-" + run).toString(),
                "--bootstrap-servers",
                stack.bootstrapServers(),
                "--schema-registry-url",
                stack.schemaRegistryUrl()));
    line.addAll(QuickTraining.tinyRunOptions());
    line.addAll(List.of(range));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = GlimpseCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    CliRun result = new CliRun(cli.execute(line.toArray(String[]::new)), out.toString());
    assertThat(result.code()).as(run + ":\n" + out + "\n" + err).isZero();
    return result;
  }

  private record CliRun(int code, String out) {}

  private static ModelManifest manifest(String version) throws Exception {
    Path file = dir.resolve("models/shapes-topic").resolve(version).resolve("manifest.json");
    return ModelManifest.fromJson(Files.readAllBytes(file));
  }

  private static String digest(ModelManifest manifest) {
    Matcher m = DIGEST.matcher(manifest.getTrainingData().orElseThrow());
    assertThat(m.find()).as(manifest.getTrainingData().orElseThrow()).isTrue();
    return m.group(1);
  }

  private static String ranges(ModelManifest manifest) {
    String data = manifest.getTrainingData().orElseThrow();
    return data.substring(0, data.indexOf(" images "));
  }

  private static void publish(List<ImageEvent> events) {
    Map<String, Object> serde =
        Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl());
    try (EventPublisher publisher =
        new EventPublisher(stack.clientConfig(), serde, TOPIC, 0, Duration.ofSeconds(30))) {
      events.forEach(publisher::send);
      publisher.flush();
      assertThat(publisher.takeFailures()).isEmpty();
      assertThat(publisher.acknowledged()).isEqualTo(events.size());
    }
  }

  /** Records sent from now on are timed after {@code instant}: a condition, not a sleep. */
  private static void awaitClockPast(Instant instant) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!Instant.now().isAfter(instant)) {
      assertThat(System.nanoTime()).as("the clock passes " + instant).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }
}
