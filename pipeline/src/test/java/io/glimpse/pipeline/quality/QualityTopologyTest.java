package io.glimpse.pipeline.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.pipeline.dlq.DeadLetterHeaders;
import io.glimpse.schemas.avro.ClassScore;
import io.glimpse.schemas.avro.ImageLabel;
import io.glimpse.schemas.avro.ModelAlert;
import io.glimpse.schemas.avro.ModelQuality;
import io.glimpse.schemas.avro.Prediction;
import io.glimpse.schemas.avro.Timings;
import io.glimpse.schemas.registry.InMemorySchemaRegistry;
import io.glimpse.schemas.topic.Topics;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Labels meet predictions in every order and timing; drift alerts on a changed stream only. */
class QualityTopologyTest {
  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  private static final Duration WINDOW = Duration.ofMinutes(45);
  private static final Duration GRACE = Duration.ofMinutes(5);

  private final String scope = "quality-" + UUID.randomUUID();
  private SimpleMeterRegistry registry;
  private TopologyTestDriver driver;
  private TestInputTopic<String, Prediction> predictions;
  private TestInputTopic<String, Prediction> shadowPredictions;
  private TestInputTopic<byte[], byte[]> labels;
  private final Map<String, Set<String>> labelSets = new HashMap<>();
  private TestOutputTopic<String, ModelQuality> quality;
  private TestOutputTopic<String, ModelAlert> alerts;
  private TestOutputTopic<byte[], byte[]> labelDeadLetters;
  private Serializer<ImageLabel> labelSerializer;
  private final Map<String, ModelQuality> latest = new HashMap<>();

  @BeforeEach
  void start() {
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("schema.registry.url", "mock://" + scope);
    overrides.put(PipelineConfig.QUALITY_JOIN_WINDOW_MS, WINDOW.toMillis());
    overrides.put(PipelineConfig.QUALITY_JOIN_GRACE_MS, GRACE.toMillis());
    overrides.put(PipelineConfig.QUALITY_LATE_RETENTION_MS, Duration.ofHours(2).toMillis());
    overrides.put(PipelineConfig.QUALITY_EMIT_INTERVAL_MS, 1000);
    overrides.put(PipelineConfig.DRIFT_WINDOW_IMAGES, 100);
    overrides.put(PipelineConfig.DRIFT_PSI_THRESHOLD, 0.1);
    PipelineConfig config = PipelineConfig.of(overrides);
    QualitySettings settings = config.qualitySettings();
    registry = new SimpleMeterRegistry();
    var props = config.streamsProperties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, scope);
    driver =
        new TopologyTestDriver(
            QualityTopology.build(
                settings,
                config.serdeConfig(),
                new QualityMetrics(registry),
                (model, version) -> Optional.ofNullable(labelSets.get(model + "/" + version))),
            props,
            T0);
    var predictionSerde = Topics.PREDICTIONS.valueSerde(config.serdeConfig());
    predictions =
        driver.createInputTopic(
            settings.topics().predictions(), new StringSerializer(), predictionSerde.serializer());
    shadowPredictions =
        driver.createInputTopic(
            settings.topics().shadowPredictions(),
            new StringSerializer(),
            predictionSerde.serializer());
    labels =
        driver.createInputTopic(
            settings.topics().labels(), new ByteArraySerializer(), new ByteArraySerializer());
    quality =
        driver.createOutputTopic(
            settings.topics().quality(),
            new StringDeserializer(),
            Topics.MODEL_QUALITY.valueSerde(config.serdeConfig()).deserializer());
    alerts =
        driver.createOutputTopic(
            settings.topics().alerts(),
            new StringDeserializer(),
            Topics.MODEL_ALERTS.valueSerde(config.serdeConfig()).deserializer());
    labelDeadLetters =
        driver.createOutputTopic(
            settings.topics().labelsDeadLetters(),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    labelSerializer = Topics.LABELS.valueSerde(config.serdeConfig()).serializer();
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
    InMemorySchemaRegistry.dropScope(scope);
  }

  @Test
  void labelsJoinPredictionsInEitherOrderAndEachImageCountsItsFirstLabelOnce() {
    predict(predictions, "a", "1", "shirt", T0);
    label("a", "shirt", T0.plus(Duration.ofMinutes(30)));
    label("b", "coat", T0.minus(Duration.ofMinutes(3))); // before its prediction
    predict(predictions, "b", "1", "shirt", T0);
    label("a", "coat", T0.plus(Duration.ofMinutes(31))); // a duplicate: the first label stands

    ModelQuality tally = latestTally("fashion/1");
    assertThat(tally.getLabelled()).isEqualTo(2);
    assertThat(tally.getCorrect()).isEqualTo(1);
    assertThat(tally.getConfusion())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getLabel()).isEqualTo("coat");
              assertThat(c.getPredicted()).isEqualTo("shirt");
            });
    assertThat(counter("glimpse.labels.joined", "1")).isEqualTo(2);
    assertThat(counter("glimpse.labels.correct", "1")).isEqualTo(1);
    assertThat(registry.get("glimpse.labels.duplicate").counter().count()).isEqualTo(1);
  }

  @Test
  void aLabelBeyondTheWindowIsCountedLateAndOneThatMeetsNoPredictionUnmatched() {
    predict(predictions, "a", "1", "shirt", T0);
    label("a", "shirt", T0.plus(WINDOW).plus(Duration.ofMinutes(10)));
    label("lonely", "shirt", T0);
    // stream time runs past the lonely label's window and grace
    label("later", "shirt", T0.plus(WINDOW).plus(GRACE).plus(Duration.ofMinutes(20)));

    ModelQuality tally = latestTally("fashion/1");
    assertThat(tally.getLabelled()).isZero();
    assertThat(tally.getLateLabels()).isEqualTo(1);
    assertThat(counter("glimpse.labels.late", "1")).isEqualTo(1);
    assertThat(registry.get("glimpse.labels.unmatched").counter().count()).isEqualTo(1);
  }

  @Test
  void eachVersionShadowsIncludedIsTalliedOnItsOwn() {
    predict(predictions, "a", "1", "shirt", T0);
    predict(shadowPredictions, "a", "2", "coat", T0.plusSeconds(1));
    label("a", "coat", T0.plusSeconds(60));

    assertThat(latestTally("fashion/1").getCorrect()).isZero();
    assertThat(latestTally("fashion/2").getCorrect()).isEqualTo(1);
  }

  @Test
  void aLabelOutsideTheVersionsLabelSetIsCountedNotJoined() {
    labelSets.put("fashion/1", Set.of("shirt", "coat"));
    predict(predictions, "a", "1", "shirt", T0);
    label("a", "dog", T0.plusSeconds(5));

    ModelQuality tally = latestTally("fashion/1");
    assertThat(tally.getLabelled()).isZero();
    assertThat(tally.getUnknownLabels()).isEqualTo(1);
    assertThat(counter("glimpse.labels.unknown", "1")).isEqualTo(1);
  }

  @Test
  void unreadableOrMiskeyedLabelsGoToTheDeadLettersWithTheirReasonAndTheRestJoin() {
    predict(predictions, "a", "1", "shirt", T0);
    labels.pipeInput(key("a"), new byte[] {0, 0, 0, 0, 9, 1, 2}, T0.plusSeconds(1));
    labels.pipeInput(
        key("x"),
        labelSerializer.serialize("labels", new ImageLabel("a", "shirt", "test", T0)),
        T0.plusSeconds(2));
    label("a", "shirt", T0.plusSeconds(3));

    List<TestRecord<byte[], byte[]>> dead = labelDeadLetters.readRecordsToList();
    assertThat(dead)
        .extracting(r -> DeadLetterHeaders.get(r.headers(), DeadLetterHeaders.REASON))
        .containsExactly("DESERIALIZATION_FAILED", "INVALID_LABEL");
    assertThat(DeadLetterHeaders.get(dead.get(1).headers(), DeadLetterHeaders.MESSAGE))
        .contains("key labels by their image id");
    assertThat(latestTally("fashion/1").getCorrect()).isEqualTo(1);
    assertThat(registry.get("glimpse.labels.invalid").counter().count()).isEqualTo(2);
  }

  @Test
  void driftAlertsOnlyWhenTheStreamOfClassesChanges() {
    String[] classes = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
    Instant t = T0;
    for (int window = 0; window < 3; window++) { // the reference, then two like it
      for (int i = 0; i < 100; i++) {
        t = t.plusMillis(10);
        predict(predictions, "w" + window + "-" + i, "1", classes[i % 10], t, 0.9f);
      }
    }
    assertThat(alerts.isEmpty()).isTrue();
    for (int i = 0; i < 100; i++) {
      t = t.plusMillis(10);
      predict(predictions, "three-" + i, "1", classes[i % 3], t, 0.9f);
    }
    ModelAlert alert = alerts.readValue();
    assertThat(alert.getClassPsi()).isGreaterThan(0.1);
    assertThat(alert.getMessage()).contains("fashion version 1 drifted");
    assertThat(
            registry
                .get("glimpse.drift.psi")
                .tags("model", "fashion", "version", "1", "signal", "classes")
                .gauge()
                .value())
        .isEqualTo(alert.getClassPsi());
  }

  private void predict(
      TestInputTopic<String, Prediction> topic,
      String id,
      String version,
      String top1,
      Instant time) {
    predict(topic, id, version, top1, time, 0.8f);
  }

  private void predict(
      TestInputTopic<String, Prediction> topic,
      String id,
      String version,
      String top1,
      Instant time,
      float probability) {
    Prediction prediction =
        Prediction.newBuilder()
            .setImageId(id)
            .setSource("test")
            .setModelName("fashion")
            .setModelVersion(version)
            .setTopK(List.of(new ClassScore(top1, 0, probability)))
            .setTimings(new Timings(0L, 0L, 0L))
            .setBatchSize(1)
            .setEventTime(time)
            .setProcessedTime(time)
            .build();
    topic.pipeInput(id, prediction, time);
  }

  private void label(String id, String label, Instant time) {
    labels.pipeInput(
        key(id),
        labelSerializer.serialize("labels", new ImageLabel(id, label, "test", time)),
        time);
  }

  private static byte[] key(String id) {
    return id.getBytes(StandardCharsets.UTF_8);
  }

  private ModelQuality latestTally(String version) {
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    quality.readKeyValuesToList().forEach(kv -> latest.put(kv.key, kv.value));
    return latest.entrySet().stream()
        .filter(e -> e.getKey().startsWith(version + "/"))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElseThrow(() -> new AssertionError("No tally of " + version + " in " + latest));
  }

  private double counter(String name, String version) {
    return Search.in(registry)
        .name(name)
        .tags("model", "fashion", "version", version)
        .counter()
        .count();
  }
}
