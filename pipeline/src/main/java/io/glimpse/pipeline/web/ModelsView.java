package io.glimpse.pipeline.web;

import io.glimpse.lifecycle.CompactedTopicReader;
import io.glimpse.lifecycle.ModelCatalog;
import io.glimpse.lifecycle.OnlineAccuracy;
import io.glimpse.lifecycle.PublishException;
import io.glimpse.schemas.avro.DeploymentHistoryEntry;
import io.glimpse.schemas.avro.ModelComparison;
import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.avro.ModelQuality;
import io.glimpse.schemas.avro.ModelServingStatus;
import io.glimpse.schemas.avro.ModelVersion;
import io.glimpse.schemas.avro.ReloadRefusal;
import io.glimpse.schemas.topic.Topic;
import io.glimpse.schemas.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The models page's data, read from the lifecycle topics ({@code model-versions}, {@code
 * model-deployments}, {@code model-serving-status}, {@code model-comparisons}, {@code
 * model-quality}) to their current ends: what {@code glimpse models list}, {@code status} and
 * {@code compare} print, for every model, as one JSON-ready map. A read is kept for {@link #FRESH},
 * so that any number of open pages cost one read of each topic every few seconds.
 */
final class ModelsView {
  static final Duration FRESH = Duration.ofSeconds(3);

  /**
   * The topics to read.
   *
   * @param versions {@code model-versions}
   * @param deployments {@code model-deployments}
   * @param servingStatus {@code model-serving-status}
   * @param quality {@code model-quality}
   */
  record TopicNames(String versions, String deployments, String servingStatus, String quality) {}

  private final CompactedTopicReader reader;
  private final TopicNames topics;
  private final Supplier<Instant> clock;
  private Map<String, Object> cached;
  private Instant cachedAt = Instant.EPOCH;

  ModelsView(CompactedTopicReader reader, TopicNames topics, Supplier<Instant> clock) {
    this.reader = reader;
    this.topics = topics;
    this.clock = clock;
  }

  /** Every model, by name; or {@code {"error": ...}} when Kafka could not be read. */
  synchronized Map<String, Object> snapshot() {
    Instant now = clock.get();
    if (cached != null && cachedAt.plus(FRESH).isAfter(now)) {
      return cached;
    }
    Map<String, Object> view = new LinkedHashMap<>();
    try {
      view.put("models", models());
    } catch (PublishException e) {
      view.put("error", e.getMessage());
    }
    view.put("readAt", now.toEpochMilli());
    cached = view;
    cachedAt = now;
    return view;
  }

  private List<Map<String, Object>> models() throws PublishException {
    Map<String, ModelVersion> versions = read(Topics.MODEL_VERSIONS, topics.versions());
    Map<String, ModelDeployment> deployments = read(Topics.MODEL_DEPLOYMENTS, topics.deployments());
    Map<String, ModelServingStatus> statuses =
        read(Topics.MODEL_SERVING_STATUS, topics.servingStatus());
    Map<String, ModelComparison> comparisons =
        read(Topics.MODEL_COMPARISONS, Topics.MODEL_COMPARISONS.name());
    Map<String, ModelQuality> quality = read(Topics.MODEL_QUALITY, topics.quality());

    TreeSet<String> names = new TreeSet<>(deployments.keySet());
    versions.values().forEach(v -> names.add(v.getModelName()));
    statuses.values().forEach(s -> names.add(s.getModelName()));
    List<Map<String, Object>> models = new ArrayList<>();
    for (String name : names) {
      Map<String, Object> model = new LinkedHashMap<>();
      model.put("name", name);
      ModelDeployment deployment = deployments.get(name);
      model.put("deployment", deployment == null ? null : deployment(deployment));
      model.put(
          "versions",
          versions.values().stream()
              .filter(v -> v.getModelName().equals(name))
              .sorted(Comparator.comparing(ModelVersion::getVersion, ModelCatalog.VERSION_ORDER))
              .map(ModelsView::version)
              .toList());
      model.put(
          "instances",
          statuses.values().stream()
              .filter(s -> s.getModelName().equals(name))
              .sorted(
                  Comparator.comparing(ModelServingStatus::getApplication)
                      .thenComparing(ModelServingStatus::getInstance))
              .map(ModelsView::instance)
              .toList());
      model.put(
          "comparisons",
          comparisons.values().stream()
              .filter(c -> c.getModelName().equals(name))
              .sorted(Comparator.comparing(ModelComparison::getComparedTime).reversed())
              .map(ModelsView::comparison)
              .toList());
      model.put("onlineAccuracy", accuracy(name, quality.values()));
      models.add(model);
    }
    return models;
  }

  private <V> Map<String, V> read(Topic<String, V> topic, String name) throws PublishException {
    return reader.read(topic.withName(name), k -> true);
  }

  private static Map<String, Object> deployment(ModelDeployment d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", d.getVersion());
    m.put("pinned", d.getPinned());
    m.put("reason", d.getReason());
    m.put("deployedTime", d.getDeployedTime().toEpochMilli());
    m.put("deployedBy", d.getDeployedBy());
    m.put("artifactUri", d.getArtifactUri());
    List<Map<String, Object>> history = new ArrayList<>();
    for (DeploymentHistoryEntry e : d.getHistory()) {
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("version", e.getVersion());
      h.put("reason", e.getReason());
      h.put("deployedTime", e.getDeployedTime().toEpochMilli());
      history.add(h);
    }
    m.put("history", history);
    return m;
  }

  private static Map<String, Object> version(ModelVersion v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", v.getVersion());
    m.put("format", v.getFormat().name());
    m.put("architecture", v.getArchitecture());
    m.put("widthMultiplier", v.getWidthMultiplier());
    m.put(
        "input",
        v.getInputShape().getChannels()
            + "x"
            + v.getInputShape().getHeight()
            + "x"
            + v.getInputShape().getWidth());
    m.put("classes", v.getLabels().size());
    m.put("metrics", new TreeMap<>(v.getMetrics()));
    m.put("createdTime", v.getCreatedTime().toEpochMilli());
    m.put("parentVersion", v.getParentVersion());
    m.put("trainingData", v.getTrainingData());
    return m;
  }

  private static Map<String, Object> instance(ModelServingStatus s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("application", s.getApplication());
    m.put("instance", s.getInstance());
    m.put("desiredVersion", s.getDesiredVersion());
    m.put("servedVersion", s.getServedVersion());
    m.put("servedSince", s.getServedSince() == null ? null : s.getServedSince().toEpochMilli());
    ReloadRefusal refusal = s.getLastRefusal();
    if (refusal != null) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("version", refusal.getVersion());
      r.put("reason", refusal.getReason());
      r.put("refusedTime", refusal.getRefusedTime().toEpochMilli());
      m.put("lastRefusal", r);
    } else {
      m.put("lastRefusal", null);
    }
    m.put("updatedTime", s.getUpdatedTime().toEpochMilli());
    return m;
  }

  private static Map<String, Object> comparison(ModelComparison c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("candidate", c.getCandidateVersion());
    m.put("baseline", c.getBaselineVersion());
    m.put("imagesCompared", c.getImagesCompared());
    m.put("agreement", c.getAgreement());
    m.put("labelledImages", c.getLabelledImages());
    m.put("candidateAccuracy", c.getCandidateAccuracy());
    m.put("baselineAccuracy", c.getBaselineAccuracy());
    m.put("candidateP99Ms", c.getCandidateLatency().getP99Ms());
    m.put("baselineP99Ms", c.getBaselineLatency().getP99Ms());
    m.put("decision", c.getDecision());
    m.put("decisionReason", c.getDecisionReason());
    m.put("comparedTime", c.getComparedTime().toEpochMilli());
    return m;
  }

  private static Map<String, Object> accuracy(String name, Iterable<ModelQuality> tallies) {
    Map<String, List<ModelQuality>> byVersion = new TreeMap<>(ModelCatalog.VERSION_ORDER);
    for (ModelQuality q : tallies) {
      if (q.getModelName().equals(name)) {
        byVersion.computeIfAbsent(q.getVersion(), v -> new ArrayList<>()).add(q);
      }
    }
    Map<String, Object> result = new LinkedHashMap<>();
    byVersion.forEach(
        (version, list) -> {
          OnlineAccuracy a = OnlineAccuracy.of(name, version, list);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("labelled", a.labelled());
          m.put("accuracy", a.accuracy().orElse(null));
          result.put(version, m);
        });
    return result;
  }
}
