package io.glimpse.schemas.topic;

import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.avro.ImageLabel;
import io.glimpse.schemas.avro.ModelAlert;
import io.glimpse.schemas.avro.ModelComparison;
import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.avro.ModelQuality;
import io.glimpse.schemas.avro.ModelServingStatus;
import io.glimpse.schemas.avro.ModelVersion;
import io.glimpse.schemas.avro.Prediction;
import io.glimpse.schemas.serde.GlimpseAvroSerde;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/** Every topic Glimpse reads or writes, declared once. */
public final class Topics {
  private Topics() {}

  /** Images to classify, keyed by image id. */
  public static final Topic<String, ImageEvent> IMAGES =
      Topic.of("images", Serdes::String, () -> new GlimpseAvroSerde<>(ImageEvent.class), Map.of());

  /** One prediction per image, keyed by the image's key. */
  public static final Topic<String, Prediction> PREDICTIONS =
      Topic.of(
          "predictions", Serdes::String, () -> new GlimpseAvroSerde<>(Prediction.class), Map.of());

  /**
   * Records the pipeline could not classify, byte for byte as they arrived (they may not even
   * deserialize), with headers naming the reason, exception and source topic/partition/offset.
   */
  public static final Topic<byte[], byte[]> IMAGES_DLQ =
      Topic.of("images.dlq", Serdes::ByteArray, Serdes::ByteArray, Map.of());

  /** Every model version ever registered, keyed by {@code <model>/<version>}; compacted. */
  public static final Topic<String, ModelVersion> MODEL_VERSIONS =
      Topic.of(
          "model-versions",
          Serdes::String,
          () -> new GlimpseAvroSerde<>(ModelVersion.class),
          Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));

  /** What each model name serves now, keyed by model name; compacted, the latest record wins. */
  public static final Topic<String, ModelDeployment> MODEL_DEPLOYMENTS =
      Topic.of(
          "model-deployments",
          Serdes::String,
          () -> new GlimpseAvroSerde<>(ModelDeployment.class),
          Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));

  /**
   * What each pipeline instance serves, and its last refused deployment, keyed by {@code
   * <application.id>/<instance id>}; compacted, the latest record per instance wins.
   */
  public static final Topic<String, ModelServingStatus> MODEL_SERVING_STATUS =
      Topic.of(
          "model-serving-status",
          Serdes::String,
          () -> new GlimpseAvroSerde<>(ModelServingStatus.class),
          Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));

  /**
   * Predictions of shadow pipelines ({@code glimpse models shadow}): a candidate version
   * classifying {@code images} alongside the serving one, its version in every record; keyed like
   * {@link #PREDICTIONS}.
   */
  public static final Topic<String, Prediction> PREDICTIONS_SHADOW =
      Topic.of(
          "predictions.shadow",
          Serdes::String,
          () -> new GlimpseAvroSerde<>(Prediction.class),
          Map.of());

  /** The dead letters of shadow pipelines, laid out as {@link #IMAGES_DLQ}'s. */
  public static final Topic<byte[], byte[]> IMAGES_DLQ_SHADOW =
      Topic.of("images.dlq.shadow", Serdes::ByteArray, Serdes::ByteArray, Map.of());

  /**
   * Predictions of replay evaluations ({@code glimpse models evaluate}) over a range of {@code
   * images}, keyed like {@link #PREDICTIONS}, the version in every record.
   */
  public static final Topic<String, Prediction> PREDICTIONS_EVAL =
      Topic.of(
          "predictions.eval",
          Serdes::String,
          () -> new GlimpseAvroSerde<>(Prediction.class),
          Map.of());

  /**
   * The dead letters of replay evaluations, laid out as {@link #IMAGES_DLQ}'s, plus a {@code
   * glimpse.model.version} header.
   */
  public static final Topic<byte[], byte[]> IMAGES_DLQ_EVAL =
      Topic.of("images.dlq.eval", Serdes::ByteArray, Serdes::ByteArray, Map.of());

  /**
   * Comparisons of a candidate version with a baseline, keyed by {@code
   * <model>/<candidate>/<baseline>}; compacted, the latest comparison of a pair wins. {@code
   * glimpse models promote --if-better} reads it.
   */
  public static final Topic<String, ModelComparison> MODEL_COMPARISONS =
      Topic.of(
          "model-comparisons",
          Serdes::String,
          () -> new GlimpseAvroSerde<>(ModelComparison.class),
          Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));

  /**
   * True labels learnt after the images were classified, keyed by image id like {@link #IMAGES} and
   * {@link #PREDICTIONS} (and with as many partitions), so that each label meets its image's
   * predictions in the same task.
   */
  public static final Topic<String, ImageLabel> LABELS =
      Topic.of("labels", Serdes::String, () -> new GlimpseAvroSerde<>(ImageLabel.class), Map.of());

  /** Label records the pipeline could not read, laid out as {@link #IMAGES_DLQ}'s. */
  public static final Topic<byte[], byte[]> LABELS_DLQ =
      Topic.of("labels.dlq", Serdes::ByteArray, Serdes::ByteArray, Map.of());

  /**
   * Online accuracy per model version, window of prediction time and partition, keyed by {@code
   * <model>/<version>/<window start>/<partition>}; compacted, the latest tally of each wins.
   */
  public static final Topic<String, ModelQuality> MODEL_QUALITY =
      Topic.of(
          "model-quality",
          Serdes::String,
          () -> new GlimpseAvroSerde<>(ModelQuality.class),
          Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));

  /** Alerts about a model version (drift), keyed by {@code <model>/<version>}. */
  public static final Topic<String, ModelAlert> MODEL_ALERTS =
      Topic.of(
          "model-alerts", Serdes::String, () -> new GlimpseAvroSerde<>(ModelAlert.class), Map.of());

  /** The dead-letter topics: one partition each (their order is the order things failed in). */
  public static final List<Topic<byte[], byte[]>> DEAD_LETTERS =
      List.of(IMAGES_DLQ, IMAGES_DLQ_SHADOW, IMAGES_DLQ_EVAL, LABELS_DLQ);

  /** The schema registry's own log (Confluent's layout; single partition, compacted). */
  public static final String SCHEMAS = "_schemas";

  /** The topics Glimpse's applications use, for creating them up front. */
  public static final List<Topic<?, ?>> ALL =
      List.of(
          IMAGES,
          PREDICTIONS,
          IMAGES_DLQ,
          MODEL_VERSIONS,
          MODEL_DEPLOYMENTS,
          MODEL_SERVING_STATUS,
          PREDICTIONS_SHADOW,
          IMAGES_DLQ_SHADOW,
          PREDICTIONS_EVAL,
          IMAGES_DLQ_EVAL,
          MODEL_COMPARISONS,
          LABELS,
          LABELS_DLQ,
          MODEL_QUALITY,
          MODEL_ALERTS);

  /** The key of an instance in {@link #MODEL_SERVING_STATUS}. */
  public static String servingStatusKey(String applicationId, String instanceId) {
    return applicationId + "/" + instanceId;
  }

  /** The key of a comparison in {@link #MODEL_COMPARISONS}. */
  public static String comparisonKey(String modelName, String candidate, String baseline) {
    return modelName + "/" + candidate + "/" + baseline;
  }

  /** The key of one tally in {@link #MODEL_QUALITY}. */
  public static String qualityKey(
      String modelName, String version, long windowStart, int partition) {
    return modelName + "/" + version + "/" + windowStart + "/" + partition;
  }

  /** The key of a version in {@link #MODEL_VERSIONS}. */
  public static String modelVersionKey(String modelName, String version) {
    return modelName + "/" + version;
  }
}
