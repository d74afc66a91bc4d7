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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models page's data, read from the lifecycle topics ({@code model-versions}, {@code
 * model-deployments}, {@code model-serving-status}, {@code model-comparisons}, {@code
 * model-quality}) to their current ends: what {@code glimpse models list}, {@code status} and
 * {@code compare} print, for every model, as one JSON-ready map.
 *
 * <p>{@link #snapshot()} never reads Kafka: it answers at once with the last read, and when that is
 * older than {@link #FRESH} it starts a refresh on the view's one background thread (at most one at
 * a time, however many pages ask), so a slow or unreachable broker never holds up an HTTP thread.
 * When the last refresh failed, the snapshot keeps the last models read and says why under {@code
 * unavailable}.
 */
final class ModelsView implements AutoCloseable {
  static final Duration FRESH = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(ModelsView.class);

  /**
   * The topics to read.
   *
   * @param versions {@code model-versions}
   * @param deployments {@code model-deployments}
   * @param servingStatus {@code model-serving-status}
   * @param quality {@code model-quality}
   */
  record TopicNames(String versions, String deployments, String servingStatus, String quality) {}

  /** Reads every model, blocking as long as Kafka takes. */
  @FunctionalInterface
  interface Loader {
    List<Map<String, Object>> load() throws PublishException;
  }

  /**
   * What the last refresh left.
   *
   * @param models the last models read (null: none yet)
   * @param readAt when they were read
   * @param failure why the last refresh failed (null: it did not)
   * @param attemptedAt when the last refresh ended
   */
  private record Last(
      List<Map<String, Object>> models, Instant readAt, String failure, Instant attemptedAt) {}

  private final Loader loader;
  private final Supplier<Instant> clock;
  private final ExecutorService refresher;
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private volatile Last last;

  ModelsView(CompactedTopicReader reader, TopicNames topics, Supplier<Instant> clock) {
    this(() -> models(reader, topics), clock);
  }

  ModelsView(Loader loader, Supplier<Instant> clock) {
    this.loader = loader;
    this.clock = clock;
    this.refresher =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "glimpse-web-models");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Every model, by name, from the last read (never waits for Kafka): {@code models} (absent until
   * the first read ends), {@code readAt} and {@code ageMs} (of that read), {@code loading} (true
   * until the first refresh ends), {@code unavailable} (why the last refresh failed) and {@code
   * error} (the same, when there is nothing to show instead).
   */
  Map<String, Object> snapshot() {
    Instant now = clock.get();
    Last seen = last;
    if (seen == null || !seen.attemptedAt().plus(FRESH).isAfter(now)) {
      refreshInBackground();
    }
    Map<String, Object> view = new LinkedHashMap<>();
    if (seen == null) {
      view.put("loading", true);
      view.put("models", List.of());
      return view;
    }
    if (seen.models() != null) {
      view.put("models", seen.models());
      view.put("readAt", seen.readAt().toEpochMilli());
      view.put("ageMs", Math.max(0, Duration.between(seen.readAt(), now).toMillis()));
    }
    if (seen.failure() != null) {
      view.put("unavailable", "unavailable: " + seen.failure());
      if (seen.models() == null) {
        view.put("error", seen.failure());
      }
    }
    return view;
  }

  private void refreshInBackground() {
    if (!refreshing.compareAndSet(false, true)) {
      return;
    }
    try {
      refresher.execute(
          () -> {
            try {
              refresh();
            } finally {
              refreshing.set(false);
            }
          });
    } catch (RejectedExecutionException closed) {
      refreshing.set(false);
    }
  }

  private void refresh() {
    Instant start = clock.get();
    Last previous = last;
    try {
      last = new Last(loader.load(), start, null, clock.get());
    } catch (PublishException | RuntimeException e) {
      if (previous == null || previous.failure() == null) {
        LOG.warn("The models page cannot read the lifecycle topics: {}", e.getMessage());
      }
      last =
          new Last(
              previous == null ? null : previous.models(),
              previous == null ? null : previous.readAt(),
              String.valueOf(e.getMessage()),
              clock.get());
    }
  }

  /** Stops the background refresh (interrupting one under way). */
  @Override
  public void close() {
    refresher.shutdownNow();
  }

  private static List<Map<String, Object>> models(CompactedTopicReader reader, TopicNames topics)
      throws PublishException {
    Map<String, ModelVersion> versions = read(reader, Topics.MODEL_VERSIONS, topics.versions());
    Map<String, ModelDeployment> deployments =
        read(reader, Topics.MODEL_DEPLOYMENTS, topics.deployments());
    Map<String, ModelServingStatus> statuses =
        read(reader, Topics.MODEL_SERVING_STATUS, topics.servingStatus());
    Map<String, ModelComparison> comparisons =
        read(reader, Topics.MODEL_COMPARISONS, Topics.MODEL_COMPARISONS.name());
    Map<String, ModelQuality> quality = read(reader, Topics.MODEL_QUALITY, topics.quality());

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

  private static <V> Map<String, V> read(
      CompactedTopicReader reader, Topic<String, V> topic, String name) throws PublishException {
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
