package io.glimpse.schemas.topic;

import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.avro.ModelDeployment;
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

  /** The schema registry's own log (Confluent's layout; single partition, compacted). */
  public static final String SCHEMAS = "_schemas";

  /** The topics Glimpse's applications use, for creating them up front. */
  public static final List<Topic<?, ?>> ALL =
      List.of(
          IMAGES, PREDICTIONS, IMAGES_DLQ, MODEL_VERSIONS, MODEL_DEPLOYMENTS, MODEL_SERVING_STATUS);

  /** The key of an instance in {@link #MODEL_SERVING_STATUS}. */
  public static String servingStatusKey(String applicationId, String instanceId) {
    return applicationId + "/" + instanceId;
  }

  /** The key of a version in {@link #MODEL_VERSIONS}. */
  public static String modelVersionKey(String modelName, String version) {
    return modelName + "/" + version;
  }
}
