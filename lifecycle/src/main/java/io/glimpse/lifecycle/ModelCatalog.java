package io.glimpse.lifecycle;

import io.glimpse.schemas.avro.ModelComparison;
import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.avro.ModelQuality;
import io.glimpse.schemas.avro.ModelServingStatus;
import io.glimpse.schemas.avro.ModelVersion;
import io.glimpse.schemas.topic.Topics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What Kafka knows about models, read from the compacted topics to their current ends: the versions
 * on {@code model-versions}, the deployments on {@code model-deployments}, and what each pipeline
 * instance serves on {@code model-serving-status}. Every call reads afresh; each read takes at most
 * the connection's timeout.
 */
public final class ModelCatalog {

  /** Numeric versions in numeric order, then the others by name. */
  public static final Comparator<String> VERSION_ORDER = ModelCatalog::compareVersions;

  private final CompactedTopicReader reader;

  /**
   * Creates a catalog.
   *
   * @param kafka where to read
   */
  public ModelCatalog(KafkaConnection kafka) {
    this.reader = new CompactedTopicReader(kafka);
  }

  /**
   * Returns the registered versions, by model name and then {@link #VERSION_ORDER}.
   *
   * @param modelName one model's versions, or null for every model's
   * @return the versions
   * @throws PublishException when Kafka or the registry fails or times out
   */
  public List<ModelVersion> versions(String modelName) throws PublishException {
    Predicate<String> keys = modelName == null ? k -> true : k -> k.startsWith(modelName + "/");
    List<ModelVersion> versions =
        new ArrayList<>(reader.read(Topics.MODEL_VERSIONS, keys).values());
    versions.sort(
        Comparator.comparing(ModelVersion::getModelName)
            .thenComparing(ModelVersion::getVersion, VERSION_ORDER));
    return versions;
  }

  /**
   * Returns one registered version.
   *
   * @param modelName the model
   * @param version the version
   * @return its {@code model-versions} record, empty when it was never registered
   * @throws PublishException when Kafka or the registry fails or times out
   */
  public Optional<ModelVersion> version(String modelName, String version) throws PublishException {
    String key = Topics.modelVersionKey(modelName, version);
    return Optional.ofNullable(reader.read(Topics.MODEL_VERSIONS, key::equals).get(key));
  }

  /**
   * Returns a model's current deployment.
   *
   * @param modelName the model
   * @return the latest {@code model-deployments} record, empty when it was never deployed
   * @throws PublishException when Kafka or the registry fails or times out
   */
  public Optional<ModelDeployment> deployment(String modelName) throws PublishException {
    return Optional.ofNullable(
        reader.read(Topics.MODEL_DEPLOYMENTS, modelName::equals).get(modelName));
  }

  /**
   * Returns the latest comparison of a candidate with a baseline version.
   *
   * @param modelName the model
   * @param candidate the candidate version
   * @param baseline the version it was compared with
   * @return the latest {@code model-comparisons} record of the pair, empty when never compared
   * @throws PublishException when Kafka or the registry fails or times out
   */
  public Optional<ModelComparison> comparison(String modelName, String candidate, String baseline)
      throws PublishException {
    String key = Topics.comparisonKey(modelName, candidate, baseline);
    return Optional.ofNullable(reader.read(Topics.MODEL_COMPARISONS, key::equals).get(key));
  }

  /**
   * Returns the online accuracy of each version of a model that has labels joined with its
   * predictions ({@code model-quality}), by version in version order.
   *
   * @param modelName the model
   * @return version to accuracy; empty when no label has met a prediction of the model yet
   * @throws PublishException when Kafka or the registry fails or times out
   */
  public Map<String, OnlineAccuracy> onlineAccuracy(String modelName) throws PublishException {
    String prefix = modelName + "/";
    Map<String, List<ModelQuality>> byVersion = new TreeMap<>(VERSION_ORDER);
    for (ModelQuality q : reader.read(Topics.MODEL_QUALITY, k -> k.startsWith(prefix)).values()) {
      byVersion.computeIfAbsent(q.getVersion(), v -> new ArrayList<>()).add(q);
    }
    Map<String, OnlineAccuracy> accuracy = new LinkedHashMap<>();
    byVersion.forEach((v, tallies) -> accuracy.put(v, OnlineAccuracy.of(modelName, v, tallies)));
    return accuracy;
  }

  /**
   * Returns every model's current deployment.
   *
   * @return model name to deployment, sorted by name
   * @throws PublishException when Kafka or the registry fails or times out
   */
  public Map<String, ModelDeployment> deployments() throws PublishException {
    return new TreeMap<>(reader.read(Topics.MODEL_DEPLOYMENTS, k -> true));
  }

  /**
   * Returns what the pipeline instances last said they serve, by application and instance.
   *
   * @param modelName only instances serving this model, or null for all
   * @return the statuses
   * @throws PublishException when Kafka or the registry fails or times out
   */
  public List<ModelServingStatus> servingStatus(String modelName) throws PublishException {
    List<ModelServingStatus> statuses = new ArrayList<>();
    for (ModelServingStatus status : reader.read(Topics.MODEL_SERVING_STATUS, k -> true).values()) {
      if (modelName == null || modelName.equals(status.getModelName())) {
        statuses.add(status);
      }
    }
    statuses.sort(
        Comparator.comparing(ModelServingStatus::getApplication)
            .thenComparing(ModelServingStatus::getInstance));
    return statuses;
  }

  private static int compareVersions(String a, String b) {
    boolean numericA = a.matches("\\d{1,18}");
    boolean numericB = b.matches("\\d{1,18}");
    if (numericA && numericB) {
      return Long.compare(Long.parseLong(a), Long.parseLong(b));
    }
    if (numericA != numericB) {
      return numericA ? -1 : 1;
    }
    return a.compareTo(b);
  }
}
