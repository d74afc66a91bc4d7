package io.glimpse.pipeline.quality;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The meters of online accuracy and drift. Per {@code {model, version}}: labels joined, of those
 * correct, late, and not in the version's label set ({@code glimpse_labels_*_total}; accuracy is
 * {@code correct / joined}), and the last drift window's PSI. Per label: duplicates, labels that
 * met no prediction, and unreadable label records.
 */
public final class QualityMetrics {
  private final MeterRegistry registry;
  private final Counter duplicates;
  private final Counter unmatched;
  private final Counter invalid;
  private final Map<String, AtomicReference<Double>> psi = new ConcurrentHashMap<>();

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
    versionCounter("glimpse.labels.joined", "Labels joined with a prediction", model, version)
        .increment();
    if (correct) {
      versionCounter(
              "glimpse.labels.correct",
              "Joined labels equal to the prediction's top-1 class",
              model,
              version)
          .increment();
    }
  }

  void late(String model, String version) {
    versionCounter(
            "glimpse.labels.late",
            "Labels that came outside the join window of the prediction: counted, not joined",
            model,
            version)
        .increment();
  }

  void unknown(String model, String version) {
    versionCounter(
            "glimpse.labels.unknown",
            "Labels not in the version's label set: counted, not joined",
            model,
            version)
        .increment();
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
    versionCounter(
            "glimpse.drift.alerts", "Drift windows that crossed the threshold", model, version)
        .increment();
  }

  private Counter versionCounter(String name, String description, String model, String version) {
    return Counter.builder(name)
        .description(description)
        .tags(Tags.of("model", model, "version", version))
        .register(registry);
  }
}
