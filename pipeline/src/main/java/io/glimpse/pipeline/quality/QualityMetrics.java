package io.glimpse.pipeline.quality;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The meters of online accuracy and drift. Per {@code {model, version}}: labels joined, of those
 * correct, late, and not in the version's label set ({@code glimpse_labels_*_total}; accuracy is
 * {@code correct / joined}), and the last drift window's PSI. Per label: duplicates, labels that
 * met no prediction, and unreadable label records.
 *
 * <p>All per-version counters of a version are registered at zero the first time the version is
 * seen, so that {@code rate()} and {@code increase()} count its first label (a counter that appears
 * with the value 1 has no earlier sample to rise from) and a version that no label agreed with
 * shows an accuracy of 0 rather than no series.
 */
public final class QualityMetrics {
  private final MeterRegistry registry;
  private final Counter duplicates;
  private final Counter unmatched;
  private final Counter invalid;
  private final Map<String, AtomicReference<Double>> psi = new ConcurrentHashMap<>();
  private final Set<String> versionsSeen = ConcurrentHashMap.newKeySet();

  private static final String JOINED = "glimpse.labels.joined";
  private static final String CORRECT = "glimpse.labels.correct";
  private static final String LATE = "glimpse.labels.late";
  private static final String UNKNOWN = "glimpse.labels.unknown";
  private static final String DRIFT_ALERTS = "glimpse.drift.alerts";
  private static final Map<String, String> VERSION_COUNTERS =
      Map.of(
          JOINED, "Labels joined with a prediction",
          CORRECT, "Joined labels equal to the prediction's top-1 class",
          LATE, "Labels that came outside the join window of the prediction: counted, not joined",
          UNKNOWN, "Labels not in the version's label set: counted, not joined",
          DRIFT_ALERTS, "Drift windows that crossed the threshold");
  private static final List<String> VERSION_COUNTER_ORDER =
      List.of(JOINED, CORRECT, LATE, UNKNOWN, DRIFT_ALERTS);

  /** Registers the per-label meters in {@code registry}; per-version ones appear when used. */
  public QualityMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.duplicates =
        Counter.builder("glimpse.labels.duplicate")
            .description("Labels for an image that already had one (the first one counts)")
            .register(registry);
    this.unmatched =
        Counter.builder("glimpse.labels.unmatched")
            .description(
                "Labels that met no prediction of their image within the join window and grace")
            .register(registry);
    this.invalid =
        Counter.builder("glimpse.labels.invalid")
            .description("Label records that could not be read (sent to the labels dead letters)")
            .register(registry);
  }

  void joined(String model, String version, boolean correct) {
    versionCounter(JOINED, model, version).increment();
    if (correct) {
      versionCounter(CORRECT, model, version).increment();
    }
  }

  void late(String model, String version) {
    versionCounter(LATE, model, version).increment();
  }

  void unknown(String model, String version) {
    versionCounter(UNKNOWN, model, version).increment();
  }

  void duplicate() {
    duplicates.increment();
  }

  void unmatched() {
    unmatched.increment();
  }

  void invalid() {
    invalid.increment();
  }

  void driftPsi(String model, String version, String signal, double value) {
    psi.computeIfAbsent(
            model + "\n" + version + "\n" + signal,
            k -> {
              AtomicReference<Double> holder = new AtomicReference<>(Double.NaN);
              Gauge.builder("glimpse.drift.psi", holder, AtomicReference::get)
                  .description(
                      "Population stability index of the last drift window against the"
                          + " version's reference (signal: classes or confidence)")
                  .tags(Tags.of("model", model, "version", version, "signal", signal))
                  .register(registry);
              return holder;
            })
        .set(value);
  }

  void driftAlert(String model, String version) {
    versionCounter(DRIFT_ALERTS, model, version).increment();
  }

  /** The version's counter {@code name}, registering all of the version's counters first. */
  private Counter versionCounter(String name, String model, String version) {
    if (versionsSeen.add(model + "\n" + version)) {
      for (String each : VERSION_COUNTER_ORDER) {
        register(each, model, version);
      }
    }
    return register(name, model, version);
  }

  private Counter register(String name, String model, String version) {
    return Counter.builder(name)
        .description(VERSION_COUNTERS.get(name))
        .tags(Tags.of("model", model, "version", version))
        .register(registry);
  }
}
