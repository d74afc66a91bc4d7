package io.glimpse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.image.ImageDecoder;
import io.glimpse.model.mobilenet.UntrainedModels;
import io.glimpse.pipeline.batch.FaultTracker;
import io.glimpse.pipeline.batch.InputBacklog;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.pipeline.dlq.DeadLetterHeaders;
import io.glimpse.pipeline.dlq.DeadLetterReason;
import io.glimpse.pipeline.inference.ImageBatchHandler;
import io.glimpse.pipeline.inference.PredictionEncoder;
import io.glimpse.pipeline.metrics.PipelineMetrics;
import io.glimpse.pipeline.serving.ModelSlot;
import io.glimpse.pipeline.serving.ServingModel;
import io.glimpse.schemas.avro.ClassScore;
import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.avro.Prediction;
import io.glimpse.schemas.registry.InMemorySchemaRegistry;
import io.glimpse.schemas.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real topology with a real (tiny, untrained) model, driven by TopologyTestDriver. */
class ClassificationTopologyTest {
  @TempDir static Path tmp;
  private static ServingModel model;

  private final String scope = "topology-" + UUID.randomUUID();
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> images;
  private TestOutputTopic<byte[], Prediction> predictions;
  private TestOutputTopic<byte[], byte[]> deadLetters;
  private Serializer<ImageEvent> imageSerializer;
  private PipelineMetrics metrics;
  private SimpleMeterRegistry registry;

  @BeforeAll
  static void writeModel() throws Exception {
    Path artifact = tmp.resolve("tiny/1");
    UntrainedModels.write(
        artifact,
        "tiny",
        "1",
        0.25f,
        new InputShape(1, 32, 32),
        UntrainedModels.numberedLabels(10),
        7);
    model = ServingModel.load(artifact, Optional.empty(), "cpu");
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  @AfterEach
  void closeDriver() {
    if (driver != null) {
      driver.close();
    }
    InMemorySchemaRegistry.dropScope(scope);
  }

  private void start(int maxSize, long lingerMs, long maxPixels) {
    start(maxSize, lingerMs, maxPixels, StreamsConfig.EXACTLY_ONCE_V2);
  }

  private void start(int maxSize, long lingerMs, long maxPixels, String guarantee) {
    Map<String, Object> overrides = new HashMap<>();
    overrides.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    overrides.put("schema.registry.url", "mock://" + scope);
    overrides.put(PipelineConfig.BATCH_MAX_SIZE, maxSize);
    overrides.put(PipelineConfig.BATCH_MAX_LINGER_MS, lingerMs);
    overrides.put(PipelineConfig.TOP_K, 3);
    overrides.put(PipelineConfig.IMAGE_MAX_PIXELS, maxPixels);
    PipelineConfig config = PipelineConfig.of(overrides);
    registry = new SimpleMeterRegistry();
    metrics = new PipelineMetrics(registry);
    ImageBatchHandler handler =
        new ImageBatchHandler(
            ModelSlot.serving(model),
            Topics.IMAGES.valueSerde(config.serdeConfig()).deserializer(),
            new PredictionEncoder(
                Topics.PREDICTIONS.valueSerde(config.serdeConfig()).serializer(),
                config.predictionsTopic()),
            ImageDecoder.builder().optMaxPixels(config.maxPixels()).build(),
            config.topK(),
            metrics);
    driver =
        new TopologyTestDriver(
            ClassificationTopology.buildTopology(
                config,
                handler,
                metrics,
                new FaultTracker(config.faultPolicy()),
                new InputBacklog()),
            GlimpsePipeline.streamsConfig(config));
    images =
        driver.createInputTopic(
            config.imagesTopic(), new ByteArraySerializer(), new ByteArraySerializer());
    predictions =
        driver.createOutputTopic(
            config.predictionsTopic(),
            new ByteArrayDeserializer(),
            Topics.PREDICTIONS.valueSerde(config.serdeConfig()).deserializer());
    deadLetters =
        driver.createOutputTopic(
            config.dlqTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    imageSerializer = Topics.IMAGES.valueSerde(config.serdeConfig()).serializer();
  }

  private void publish(ImageEvent image) {
    images.pipeInput(key(image.getId()), imageSerializer.serialize("images", image));
  }

  private static byte[] key(String id) {
    return id.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aFullBatchIsClassifiedAtOnceWithKeysAndModelVersion() {
    start(4, 60_000, 1_000_000);
    for (int i = 0; i < 3; i++) {
      publish(TestImages.raw("img-" + i, 28, 28));
    }
    assertThat(predictions.isEmpty()).as("3 of 4: still buffered").isTrue();

    publish(TestImages.raw("img-3", 28, 28));

    List<KeyValue<byte[], Prediction>> out = predictions.readKeyValuesToList();
    assertThat(out).hasSize(4);
    for (int i = 0; i < 4; i++) {
      assertThat(new String(out.get(i).key, StandardCharsets.UTF_8)).isEqualTo("img-" + i);
      Prediction p = out.get(i).value;
      assertThat(p.getImageId()).isEqualTo("img-" + i);
      assertThat(p.getModelName()).isEqualTo("tiny");
      assertThat(p.getModelVersion()).isEqualTo("1");
      assertThat(p.getBatchSize()).isEqualTo(4);
      assertThat(p.getLabel()).isEqualTo("class-1");
    }
    assertThat(registry.get("glimpse.batch.size").summary().count()).isEqualTo(1);
    assertThat(registry.get("glimpse.images.classified").counter().count()).isEqualTo(4.0);
  }

  @Test
  void imagesLabelledForAnotherModelAreClassifiedCountedAndWarnedAboutOncePerVersion() {
    start(5, 60_000, 1_000_000);
    try (LogCapture log = new LogCapture("io.glimpse.pipeline.inference.UnknownLabels")) {
      for (int i = 0; i < 3; i++) {
        publish(
            ImageEvent.newBuilder(TestImages.raw("pullover-" + i, 28, 28))
                .setLabel("Pullover")
                .build());
      }
      publish(TestImages.raw("known", 28, 28));
      publish(ImageEvent.newBuilder(TestImages.raw("unlabelled", 28, 28)).setLabel(null).build());

      assertThat(predictions.readValuesToList())
          .as("every image is classified all the same")
          .extracting(Prediction::getImageId)
          .containsExactly("pullover-0", "pullover-1", "pullover-2", "known", "unlabelled");
      assertThat(
              registry
                  .get("glimpse.images.unknown.label")
                  .tags("model", "tiny", "version", "1")
                  .counter()
                  .count())
          .as("the labelled images whose label the model lacks, not the known or unlabelled one")
          .isEqualTo(3.0);
      assertThat(log.warnings())
          .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .contains("'Pullover'", "model tiny version 1", "class-0, class-1")
          .contains("glimpse_images_unknown_label_total");
    }
  }

  @Test
  void topKIsSortedAndLabelled() {
    start(1, 60_000, 1_000_000);
    publish(TestImages.raw("one", 32, 32));

    Prediction p = predictions.readValue();
    List<ClassScore> top = p.getTopK();
    assertThat(top).hasSize(3);
    assertThat(top.get(0).getProbability()).isGreaterThanOrEqualTo(top.get(1).getProbability());
    assertThat(top.get(1).getProbability()).isGreaterThanOrEqualTo(top.get(2).getProbability());
    assertThat(top)
        .allSatisfy(s -> assertThat(s.getLabel()).isEqualTo("class-" + s.getClassIndex()));
    assertThat(top.stream().mapToDouble(ClassScore::getProbability).sum())
        .isLessThanOrEqualTo(1.0001);
  }

  @Test
  void aPartialBatchIsFlushedWhenItsOldestImageHasLingered() {
    start(32, 100, 1_000_000);
    publish(TestImages.raw("a", 28, 28));
    publish(TestImages.raw("b", 28, 28));
    driver.advanceWallClockTime(Duration.ofMillis(50));
    assertThat(predictions.isEmpty()).as("linger not reached").isTrue();

    driver.advanceWallClockTime(Duration.ofMillis(60));

    List<Prediction> out = predictions.readValuesToList();
    assertThat(out).extracting(Prediction::getImageId).containsExactly("a", "b");
    assertThat(out).allSatisfy(p -> assertThat(p.getBatchSize()).isEqualTo(2));
  }

  @Test
  void everyKindOfBadRecordGoesToTheDeadLetterTopicWithItsReason() {
    start(16, 60_000, 10_000);
    byte[] wrongMagic = {1, 2, 3, 4, 5, 6};
    byte[] unknownId =
        ByteBuffer.allocate(8).put((byte) 0).putInt(9999).putShort((short) 7).array();
    images.pipeInput(key("wrong-magic"), wrongMagic);
    images.pipeInput(key("unknown-id"), unknownId);
    images.pipeInput(key("tombstone"), (byte[]) null);
    publish(TestImages.event("png", "image/png", new byte[] {1, 2, 3}).build());
    publish(TestImages.event("gif", "image/gif", new byte[] {1, 2, 3}).build());
    publish(
        TestImages.event("huge", "application/x-raw-pixels", new byte[4])
            .setWidth(1000)
            .setHeight(1000)
            .setChannels(1)
            .build());
    publish(
        TestImages.event("short", "application/x-raw-pixels", new byte[5])
            .setWidth(2)
            .setHeight(2)
            .setChannels(1)
            .build());
    driver.advanceWallClockTime(Duration.ofMinutes(2));

    Map<String, TestRecord<byte[], byte[]>> byKey = new HashMap<>();
    deadLetters
        .readRecordsToList()
        .forEach(r -> byKey.put(new String(r.key(), StandardCharsets.UTF_8), r));
    assertThat(predictions.isEmpty()).isTrue();
    assertThat(reason(byKey.get("wrong-magic")))
        .isEqualTo(DeadLetterReason.DESERIALIZATION_FAILED.name());
    assertThat(reason(byKey.get("unknown-id")))
        .isEqualTo(DeadLetterReason.DESERIALIZATION_FAILED.name());
    assertThat(reason(byKey.get("tombstone"))).isEqualTo(DeadLetterReason.NULL_VALUE.name());
    assertThat(reason(byKey.get("png"))).isEqualTo(DeadLetterReason.UNDECODABLE_IMAGE.name());
    assertThat(reason(byKey.get("gif")))
        .isEqualTo(DeadLetterReason.UNSUPPORTED_CONTENT_TYPE.name());
    assertThat(reason(byKey.get("huge"))).isEqualTo(DeadLetterReason.IMAGE_TOO_LARGE.name());
    assertThat(reason(byKey.get("short"))).isEqualTo(DeadLetterReason.INVALID_RAW_LAYOUT.name());

    TestRecord<byte[], byte[]> magic = byKey.get("wrong-magic");
    assertThat(magic.value()).as("original bytes kept").containsExactly(wrongMagic);
    assertThat(DeadLetterHeaders.get(magic.headers(), DeadLetterHeaders.MESSAGE))
        .contains("magic byte 0x01");
    assertThat(DeadLetterHeaders.get(magic.headers(), DeadLetterHeaders.SOURCE_TOPIC))
        .isEqualTo("images");
    assertThat(DeadLetterHeaders.get(magic.headers(), DeadLetterHeaders.SOURCE_PARTITION))
        .isEqualTo("0");
    assertThat(DeadLetterHeaders.get(magic.headers(), DeadLetterHeaders.SOURCE_OFFSET))
        .isEqualTo("0");
    assertThat(DeadLetterHeaders.get(byKey.get("unknown-id").headers(), DeadLetterHeaders.MESSAGE))
        .contains("Unknown schema id 9999");
    assertThat(DeadLetterHeaders.get(byKey.get("png").headers(), DeadLetterHeaders.EXCEPTION))
        .isEqualTo("io.glimpse.model.image.ImageRejectedException");
    assertThat(
            registry
                .get("glimpse.dlq.records")
                .tag("reason", "DESERIALIZATION_FAILED")
                .counter()
                .count())
        .isEqualTo(2.0);
  }

  @Test
  void oneBadImageDoesNotFailItsBatch() {
    start(4, 60_000, 1_000_000);
    publish(TestImages.raw("good-1", 28, 28));
    publish(
        TestImages.event("bad", "image/jpeg", "not a jpeg".getBytes(StandardCharsets.UTF_8))
            .build());
    publish(TestImages.raw("good-2", 28, 28));
    publish(TestImages.raw("good-3", 28, 28));

    List<Prediction> out = predictions.readValuesToList();
    assertThat(out)
        .extracting(Prediction::getImageId)
        .containsExactly("good-1", "good-2", "good-3");
    assertThat(out).allSatisfy(p -> assertThat(p.getBatchSize()).isEqualTo(3));
    assertThat(deadLetters.readKeyValuesToList())
        .extracting(kv -> new String(kv.key, StandardCharsets.UTF_8))
        .containsExactly("bad");
    var forwardPasses = registry.get("glimpse.forward.pass.images").summary();
    assertThat(forwardPasses.count()).as("one forward pass for the batch").isEqualTo(1);
    assertThat(forwardPasses.totalAmount()).as("over the good images only").isEqualTo(3.0);
    assertThat(registry.get("glimpse.batch.fallback").counter().count()).isZero();
  }

  @Test
  void pendingImagesLiveInTheStoreUntilTheirBatchIsFlushed() {
    start(8, 100, 1_000_000);
    publish(TestImages.raw("kept", 28, 28));
    assertThat(predictions.isEmpty()).isTrue();
    assertThat(driver.getKeyValueStore("glimpse-pending-images").approximateNumEntries())
        .isEqualTo(1);

    driver.advanceWallClockTime(Duration.ofMillis(200));

    assertThat(predictions.readValue().getImageId()).isEqualTo("kept");
    assertThat(driver.getKeyValueStore("glimpse-pending-images").approximateNumEntries()).isZero();
  }

  @Test
  void underAtLeastOnceAnEntryIsDeletedOnlyAfterTheCommitThatCoversItsPrediction() {
    start(8, 100, 1_000_000, StreamsConfig.AT_LEAST_ONCE);
    publish(TestImages.raw("kept", 28, 28));

    driver.advanceWallClockTime(Duration.ofMillis(200)); // flush, then the driver commits

    assertThat(predictions.readValue().getImageId()).isEqualTo("kept");
    assertThat(driver.getKeyValueStore("glimpse-pending-images").approximateNumEntries())
        .as("the entry outlives the flush that forwarded its prediction")
        .isEqualTo(1);

    driver.advanceWallClockTime(Duration.ofMillis(200)); // the next punctuation after that commit

    assertThat(driver.getKeyValueStore("glimpse-pending-images").approximateNumEntries()).isZero();
    assertThat(predictions.isEmpty()).as("classified once").isTrue();
  }

  private static String reason(TestRecord<byte[], byte[]> record) {
    assertThat(record).as("dead letter present").isNotNull();
    return DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.REASON);
  }
}
