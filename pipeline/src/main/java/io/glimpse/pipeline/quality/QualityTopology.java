package io.glimpse.pipeline.quality;

import io.glimpse.schemas.avro.ImageLabel;
import io.glimpse.schemas.avro.ModelAlert;
import io.glimpse.schemas.avro.ModelQuality;
import io.glimpse.schemas.avro.Prediction;
import io.glimpse.schemas.serde.GlimpseAvroSerde;
import io.glimpse.schemas.topic.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The quality application's topology. Predictions (serving and shadow) and labels meet in {@link
 * LabelJoinProcessor}, which writes tallies to {@code model-quality} and unreadable labels to
 * {@code labels.dlq}; the versions' label sets come from {@link LabelSets}. Predictions are also
 * re-keyed by {@code <model>/<version>} into {@link DriftProcessor}, which writes alerts to {@code
 * model-alerts}.
 */
public final class QualityTopology {
  static final String JOIN_STORE = "quality-label-join";
  static final String EXPIRY_STORE = "quality-label-join-expiry";
  static final String TALLY_STORE = "quality-tallies";
  static final String CHANGED_STORE = "quality-tallies-changed";
  static final String DRIFT_STORE = "quality-drift";

  private QualityTopology() {}

  /**
   * Builds the topology.
   *
   * @param settings topics, windows and thresholds
   * @param serdeConfig the Avro serde's configuration (the registry)
   * @param metrics where the joins and drift are counted
   * @param labelSets each version's labels, to count labels it does not know
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Topology build(
      QualitySettings settings,
      Map<String, Object> serdeConfig,
      QualityMetrics metrics,
      LabelSets labelSets) {
    QualitySettings.Topics topics = settings.topics();
    Serde<Prediction> predictionSerde =
        serde(new GlimpseAvroSerde<>(Prediction.class), serdeConfig);
    Serde<ModelQuality> qualitySerde =
        serde(new GlimpseAvroSerde<>(ModelQuality.class), serdeConfig);
    Serde<ModelAlert> alertSerde = serde(new GlimpseAvroSerde<>(ModelAlert.class), serdeConfig);
    Serde<ImageLabel> labelSerde = serde(new GlimpseAvroSerde<>(ImageLabel.class), serdeConfig);

    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(JOIN_STORE), Serdes.String(), Serdes.ByteArray()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(EXPIRY_STORE), Serdes.Bytes(), Serdes.ByteArray()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(TALLY_STORE), Serdes.String(), qualitySerde));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(CHANGED_STORE), Serdes.String(), Serdes.ByteArray()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(DRIFT_STORE), Serdes.String(), Serdes.ByteArray()));

    KStream<String, Prediction> predictions =
        builder.stream(
            List.of(topics.predictions(), topics.shadowPredictions()),
            Consumed.with(Serdes.String(), predictionSerde).withName("predictions-source"));
    KStream<byte[], byte[]> labels =
        builder.stream(
            topics.labels(),
            Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("labels-source"));

    KStream<Object, Object> joined =
        ((KStream<Object, Object>) (KStream) predictions)
            .merge((KStream<Object, Object>) (KStream) labels, Named.as("predictions-and-labels"))
            .process(
                () ->
                    new LabelJoinProcessor(settings, metrics, labelSerde.deserializer(), labelSets),
                Named.as("label-join"),
                JOIN_STORE,
                EXPIRY_STORE,
                TALLY_STORE,
                CHANGED_STORE);
    joined
        .split(Named.as("label-join-"))
        .branch(
            (key, value) -> value instanceof ModelQuality,
            Branched.withConsumer(
                tallies ->
                    ((KStream<String, ModelQuality>) (KStream) tallies)
                        .to(
                            topics.quality(),
                            Produced.with(Serdes.String(), qualitySerde)
                                .withName("model-quality-sink")),
                "tallies"))
        .defaultBranch(
            Branched.withConsumer(
                deadLetters ->
                    ((KStream<byte[], byte[]>) (KStream) deadLetters)
                        .to(
                            topics.labelsDeadLetters(),
                            Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                                .withName("labels-dlq-sink")),
                "dead-letters"));

    predictions
        .filter((key, p) -> !p.getTopK().isEmpty(), Named.as("classified"))
        .map(
            (key, p) ->
                KeyValue.pair(
                    Topics.modelVersionKey(p.getModelName(), p.getModelVersion()),
                    DriftProcessor.observation(
                        p.getTopK().get(0).getLabel(), p.getTopK().get(0).getProbability())),
            Named.as("by-version"))
        .repartition(
            Repartitioned.<String, byte[]>with(Serdes.String(), Serdes.ByteArray())
                .withName("drift-by-version"))
        .process(() -> new DriftProcessor(settings, metrics), Named.as("drift"), DRIFT_STORE)
        .to(topics.alerts(), Produced.with(Serdes.String(), alertSerde).withName("alerts-sink"));
    return builder.build();
  }

  private static <T> Serde<T> serde(Serde<T> serde, Map<String, Object> config) {
    serde.configure(config, false);
    return serde;
  }
}
