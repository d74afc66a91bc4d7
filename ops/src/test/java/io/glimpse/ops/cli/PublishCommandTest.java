package io.glimpse.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.lifecycle.ModelVersions;
import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.ModelFormat;
import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.model.artifact.Normalization;
import io.glimpse.model.image.ContentTypes;
import io.glimpse.model.image.ImageDecoder;
import io.glimpse.model.image.ImageRejectedException;
import io.glimpse.ops.embedded.EmbeddedStack;
import io.glimpse.ops.publish.PublishDatasets;
import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.topic.Topics;
import io.glimpse.trainer.data.Cifar10;
import io.glimpse.trainer.data.DatasetKind;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code glimpse publish} on the embedded stack: files, directories and globs with labels from
 * their directories; bad files reported one by one while the rest are published; the data sets;
 * usage errors. Each test publishes to a topic of its own and reads back what arrived.
 */
class PublishCommandTest {
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
  void publishesADirectoryOfPngAndJpegFilesLabelledByTheirDirectories() throws Exception {
    Path photos = root.resolve("photos");
    Path cat = image(photos.resolve("cat/1.png"), "png", Color.ORANGE);
    Path catJpeg = image(photos.resolve("cat/2.jpg"), "jpg", Color.GRAY);
    Path dog = image(photos.resolve("dog/1.PNG"), "png", Color.BLACK);
    Files.writeString(photos.resolve("dog/notes.txt"), "not an image, not picked from a directory");
    String topic = TopicRecords.create(stack, "publish-happy");

    CliRun run = publish(topic, photos.toString(), "--label-from-dir", "--rate", "50");

    assertThat(run.code()).as(run.printed()).isZero();
    assertThat(run.out()).startsWith("Published 3 images to publish-happy in ");
    assertThat(run.err()).as("no progress bar off a terminal, no problem").isEmpty();
    Map<String, ImageEvent> events = byKey(read(topic, 3));
    assertThat(events).containsOnlyKeys(cat.toString(), catJpeg.toString(), dog.toString());
    assertThat(events.get(cat.toString()).getLabel()).isEqualTo("cat");
    assertThat(events.get(cat.toString()).getContentType()).isEqualTo(ContentTypes.PNG);
    assertThat(events.get(cat.toString()).getData().array()).isEqualTo(Files.readAllBytes(cat));
    assertThat(events.get(catJpeg.toString()).getContentType()).isEqualTo(ContentTypes.JPEG);
    assertThat(events.get(dog.toString()).getLabel()).isEqualTo("dog");
    assertThat(events.get(dog.toString()).getSource()).isEqualTo("glimpse-publish");
  }

  @Test
  void reportsEachFileItCannotPublishAndPublishesTheRest() throws Exception {
    Path dir = root.resolve("mixed");
    Path good = image(dir.resolve("good.png"), "png", Color.BLUE);
    Path truncated = dir.resolve("truncated.png");
    byte[] png = Files.readAllBytes(good);
    Files.write(truncated, Arrays.copyOf(png, png.length / 2));
    Path text = Files.writeString(dir.resolve("text.jpg"), "<html>not a jpeg</html>");
    Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
    Path jpeg = image(dir.resolve("ok.jpeg"), "jpg", Color.GREEN);
    String topic = TopicRecords.create(stack, "publish-bad");

    CliRun run = publish(topic, dir + "/*.{png,jpg,jpeg}", root.resolve("missing.png").toString());

    assertThat(run.code()).as(run.printed()).isEqualTo(1);
    assertThat(run.out())
        .startsWith("Published 2 images to publish-bad")
        .contains("; 4 could not be published (see above).");
    assertThat(run.err().lines())
        .as(run.err())
        .containsExactlyInAnyOrder(
            "glimpse publish: " + root.resolve("missing.png") + ": no such file or directory",
            "glimpse publish: " + empty + ": the file is empty",
            "glimpse publish: "
                + text
                + ": not a JPEG or PNG image (it starts with 3c 68 74 6d 6c 3e 6e 6f); convert it,"
                + " or publish raw pixels with --raw-layout <width>x<height>x<channels>",
            "glimpse publish: " + truncated + ": " + decodeFailure(truncated));
    assertThat(byKey(read(topic, 2))).containsOnlyKeys(good.toString(), jpeg.toString());
  }

  @Test
  void publishesRawPixelFilesOfTheGivenLayoutAndRefusesOtherSizes() throws Exception {
    Path dir = Files.createDirectories(root.resolve("raw"));
    Path frame = Files.write(dir.resolve("frame.raw"), new byte[4 * 3 * 3]);
    Path wrong = Files.write(dir.resolve("short.raw"), new byte[5]);
    String topic = TopicRecords.create(stack, "publish-raw");

    CliRun run = publish(topic, dir.toString(), "--raw-layout", "4x3x3");

    assertThat(run.code()).as(run.printed()).isEqualTo(1);
    assertThat(run.err())
        .contains(wrong + ": neither JPEG nor PNG, and its 5 bytes are not raw pixels");
    ImageEvent event = byKey(read(topic, 1)).get(frame.toString());
    assertThat(event.getContentType()).isEqualTo(ContentTypes.RAW);
    assertThat(List.of(event.getWidth(), event.getHeight(), event.getChannels()))
        .containsExactly(4, 3, 3);
  }

  @Test
  void publishesGeneratedShapesAndCifar10TestImagesWithTheirLabels() throws Exception {
    String synthetic = TopicRecords.create(stack, "publish-synthetic");
    CliRun shapes = publish(synthetic, "--dataset", "synthetic", "--limit", "5");
    assertThat(shapes.code()).as(shapes.printed()).isZero();
    List<ConsumerRecord<String, ImageEvent>> records = read(synthetic, 5);
    assertThat(records).hasSize(5);
    assertThat(records.get(0).value().getId()).matches("synthetic-[0-9a-z]+-000000");
    assertThat(records.get(0).value().getLabel()).isEqualTo("circle");
    assertThat(records.get(0).value().getData().remaining()).isEqualTo(32 * 32);

    Path cifar = Files.createDirectories(root.resolve("cifar-10-batches-bin"));
    Files.write(cifar.resolve("data_batch_1.bin"), cifarRecords(100));
    Files.write(cifar.resolve("test_batch.bin"), cifarRecords(4));
    String topic = TopicRecords.create(stack, "publish-cifar");
    CliRun run = publish(topic, "--dataset", "cifar10", "--data-dir", cifar.toString());
    assertThat(run.code()).as(run.printed()).isZero();
    assertThat(read(topic, 4))
        .extracting(r -> r.value().getLabel())
        .containsExactly("airplane", "automobile", "bird", "cat");
  }

  @Test
  void warnsBeforePublishingADataSetTheDeployedModelHasNoLabelsFor() throws Exception {
    String topic = TopicRecords.create(stack, "publish-for-another-model");
    deploy("label-check", "1", List.of("T-shirt/top", "Trouser"), "fashion-mnist (test)");

    CliRun wrong = publish(topic, "--dataset", "synthetic", "--limit", "2");

    assertThat(wrong.code()).as("a warning, not a refusal: " + wrong.printed()).isZero();
    assertThat(wrong.err())
        .contains("glimpse publish: warning: synthetic's labels (circle, ")
        .contains("label-check 1 (T-shirt/top, Trouser; trained on fashion-mnist (test))")
        .contains("glimpse train --dataset synthetic --promote");
    assertThat(read(topic, 2)).hasSize(2);

    List<String> shapes = PublishDatasets.load(DatasetKind.SYNTHETIC, null, 1).classes();
    deploy("label-check", "2", shapes, "synthetic shapes");
    CliRun right = publish(topic, "--dataset", "synthetic", "--limit", "2");
    assertThat(right.code()).as(right.printed()).isZero();
    assertThat(right.err()).doesNotContain("warning");
  }

  @Test
  void withoutItsFilesCifar10SaysWhereToGetThem() {
    CliRun run = publish("images", "--dataset", "cifar10");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("glimpse: --dataset cifar10 needs --data-dir.")
        .contains("https://www.cs.toronto.edu/~kriz/cifar.html", "never downloaded");
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(publish("images").code()).isEqualTo(2);
    assertThat(publish("images", "a.png", "--dataset", "synthetic").code()).isEqualTo(2);
    assertThat(publish("images", "--dataset", "mnist").code()).isEqualTo(2);
    CliRun run = publish("images", "a.png", "--raw-layout", "4x4");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--raw-layout: expected <width>x<height>x<channels>");
  }

  /** Registers and deploys a version with these labels, as far as the topics can tell. */
  private static void deploy(String model, String version, List<String> labels, String data)
      throws Exception {
    ModelManifest manifest =
        ModelManifest.builder()
            .setName(model)
            .setVersion(version)
            .setFormat(ModelFormat.DJL)
            .setInputShape(new InputShape(1, 32, 32))
            .setNormalization(new Normalization(List.of(0.5f), List.of(0.5f)))
            .setLabels(labels)
            .optTrainingData(data)
            .build();
    URI artifact = URI.create("file:///nowhere/" + model + "/" + version + "/");
    String sha256 = "0".repeat(64);
    Map<String, Object> clients = stack.clientConfig();
    try (var versions =
            new KafkaProducer<>(
                clients,
                Topics.MODEL_VERSIONS.keySerde(clients).serializer(),
                Topics.MODEL_VERSIONS.valueSerde(clients).serializer());
        var deployments =
            new KafkaProducer<>(
                clients,
                Topics.MODEL_DEPLOYMENTS.keySerde(clients).serializer(),
                Topics.MODEL_DEPLOYMENTS.valueSerde(clients).serializer())) {
      versions
          .send(
              new ProducerRecord<>(
                  Topics.MODEL_VERSIONS.name(),
                  Topics.modelVersionKey(model, version),
                  ModelVersions.of(manifest, artifact, sha256)))
          .get();
      deployments
          .send(
              new ProducerRecord<>(
                  Topics.MODEL_DEPLOYMENTS.name(),
                  model,
                  ModelDeployment.newBuilder()
                      .setModelName(model)
                      .setVersion(version)
                      .setArtifactUri(artifact.toString())
                      .setSha256(sha256)
                      .setReason("test")
                      .setDeployedTime(Instant.now())
                      .build()))
          .get();
    }
  }

  private static CliRun publish(String topic, String... args) {
    List<String> line = new ArrayList<>(List.of("publish", "--topic", topic));
    line.addAll(List.of(args));
    return CliRun.on(
        stack.bootstrapServers(), stack.schemaRegistryUrl(), line.toArray(String[]::new));
  }

  private static List<ConsumerRecord<String, ImageEvent>> read(String topic, int count) {
    return TopicRecords.read(stack, Topics.IMAGES.withName(topic), count);
  }

  private static Map<String, ImageEvent> byKey(List<ConsumerRecord<String, ImageEvent>> records) {
    return records.stream()
        .collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value, (a, b) -> b));
  }

  private static Path image(Path file, String format, Color color) throws IOException {
    Files.createDirectories(file.getParent());
    BufferedImage image = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 6; y++) {
      for (int x = 0; x < 8; x++) {
        image.setRGB(x, y, (x + y) % 2 == 0 ? color.getRGB() : Color.WHITE.getRGB());
      }
    }
    assertThat(ImageIO.write(image, format, file.toFile())).isTrue();
    return file;
  }

  /** What the pipeline's decoder says about a truncated PNG: publish reports the same. */
  private static String decodeFailure(Path file) throws IOException {
    try {
      ImageDecoder.builder()
          .build()
          .decode(ContentTypes.PNG, Files.readAllBytes(file), null, null, null);
      throw new AssertionError(file + " decodes");
    } catch (ImageRejectedException e) {
      return e.getMessage();
    }
  }

  /** {@code count} CIFAR-10 records, labelled 0, 1, 2, ... in turn. */
  private static byte[] cifarRecords(int count) {
    byte[] bytes = new byte[count * 3073];
    for (int i = 0; i < count; i++) {
      bytes[i * 3073] = (byte) (i % Cifar10.CLASSES.size());
    }
    return bytes;
  }
}
