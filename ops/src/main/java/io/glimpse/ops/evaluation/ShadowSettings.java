package io.glimpse.ops.evaluation;

import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.schemas.topic.Topics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The settings that turn a pipeline into a shadow of one version: the pipeline's own settings with
 * a small overlay on top. A shadow pins the version's artifact (it never follows deployments), runs
 * under an application id of its own ({@code glimpse-shadow-<model>-<version>}: its own consumer
 * group, offsets, state directory and changelogs, so the serving pipeline's are never touched), and
 * writes to {@code predictions.shadow} and {@code images.dlq.shadow}, never to {@code predictions}.
 */
public final class ShadowSettings {

  private ShadowSettings() {}

  /**
   * The application id of a version's shadow.
   *
   * @param model the model name
   * @param version the version
   * @return {@code glimpse-shadow-<model>-<version>}, characters Kafka refuses replaced by {@code
   *     _}
   */
  public static String applicationId(String model, String version) {
    return ("glimpse-shadow-" + model + "-" + version).replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /**
   * The overlay for a version's shadow.
   *
   * @param model the model name
   * @param version the version
   * @param artifact the version's artifact in the model store
   * @param sha256 the manifest's sha256 as {@code model-versions} records it, or null to accept
   *     whatever verifies
   * @return settings to put over the pipeline's
   */
  public static Map<String, String> overlay(
      String model, String version, Path artifact, String sha256) {
    Map<String, String> overlay = new HashMap<>();
    overlay.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId(model, version));
    overlay.put(PipelineConfig.PREDICTIONS_TOPIC, Topics.PREDICTIONS_SHADOW.name());
    overlay.put(PipelineConfig.DLQ_TOPIC, Topics.IMAGES_DLQ_SHADOW.name());
    overlay.put(PipelineConfig.MODEL_PATH, artifact.toString());
    overlay.put(PipelineConfig.MODEL_SHA256, sha256 == null ? "" : sha256);
    overlay.put(PipelineConfig.MODEL_NAME, "");
    // The serving pipeline's quality application reads predictions.shadow too.
    overlay.put(PipelineConfig.QUALITY_ENABLED, "false");
    return overlay;
  }

  /**
   * Loads a shadow's configuration: defaults, the pipeline's file, {@code GLIMPSE_*} variables, the
   * user's overrides, then the overlay, which always wins.
   *
   * @param file the pipeline's properties file, or null
   * @param env the environment
   * @param overrides the user's settings (connection, HTTP port...)
   * @param overlay from {@link #overlay}
   * @return the configuration
   * @throws ConfigException when the result would write to the serving pipeline's topics
   */
  public static PipelineConfig load(
      Path file,
      Map<String, String> env,
      Map<String, String> overrides,
      Map<String, String> overlay) {
    Map<String, String> merged = new HashMap<>(overrides);
    merged.putAll(overlay);
    PipelineConfig config = PipelineConfig.load(file, env, merged);
    PipelineConfig serving = PipelineConfig.load(file, env, overrides);
    if (config.predictionsTopic().equals(serving.predictionsTopic())
        || config.dlqTopic().equals(serving.dlqTopic())) {
      throw new ConfigException(
          "the pipeline settings already write to "
              + config.predictionsTopic()
              + " / "
              + config.dlqTopic()
              + ": a shadow must not write where the serving pipeline does; remove "
              + PipelineConfig.PREDICTIONS_TOPIC
              + " and "
              + PipelineConfig.DLQ_TOPIC
              + " from them");
    }
    return config;
  }
}
