package io.glimpse.pipeline.metrics;

import io.glimpse.pipeline.batch.PendingRecord;
import io.glimpse.pipeline.dlq.DeadLetterReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pipeline's own meters (Kafka Streams' meters are bound separately): batch sizes, forward
 * passes and one-by-one fallbacks, inference and end-to-end latency, images classified and per
 * second, dead letters by reason, images whose label the served model does not know, and the model
 * version being served.
 */
public final class PipelineMetrics {
  private final MeterRegistry registry;
  private final DistributionSummary batchSize;
  private final Timer inference;
  private final Timer endToEnd;
  private final Timer queued;
  private final Counter images;
  private final DistributionSummary forwardPass;
  private final Counter batchFallbacks;
  private final ThroughputWindow throughput = new ThroughputWindow(10);
  private final Map<DeadLetterReason, Counter> deadLetters = new EnumMap<>(DeadLetterReason.class);
  private final AtomicReference<Gauge> modelInfo = new AtomicReference<>();

  /** Registers the meters in {@code registry}. */
  public PipelineMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.batchSize =
        DistributionSummary.builder("glimpse.batch.size")
            .description("Images per classified batch")
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
            .register(registry);
    this.inference =
        latency("glimpse.inference.latency", "Preprocessing and forward pass, per batch");
    this.endToEnd = latency("glimpse.end.to.end.latency", "Record timestamp to prediction");
    this.queued = latency("glimpse.queued.latency", "Arrival to the start of the image's batch");
    this.images =
        Counter.builder("glimpse.images.classified")
            .description("Images classified (predictions written)")
            .register(registry);
    this.forwardPass =
        DistributionSummary.builder("glimpse.forward.pass.images")
            .description("Images per forward pass through the model (count: forward passes)")
            .register(registry);
    this.batchFallbacks =
        Counter.builder("glimpse.batch.fallback")
            .description(
                "Batches whose forward pass failed and whose images were retried one by one")
            .register(registry);
    Gauge.builder("glimpse.images.per.second", throughput, ThroughputWindow::perSecond)
        .description("Images classified per second over the last 10 s")
        .register(registry);
    for (String outcome : new String[] {"loaded", "refused", "unchanged"}) {
      Counter.builder("glimpse.model.reload")
          .description(
              "Deployments handled, by outcome: loaded, refused, unchanged, deferred (store unavailable)")
          .tag("outcome", outcome)
          .register(registry);
    }
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      deadLetters.put(
          reason,
          Counter.builder("glimpse.dlq.records")
              .description("Records sent to the dead-letter topic")
              .tag("reason", reason.name())
              .register(registry));
    }
  }

  private Timer latency(String name, String description) {
    return Timer.builder(name)
        .description(description)
        .publishPercentiles(0.5, 0.99)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }

  /** A batch was handled at wall-clock {@code startMillis}. */
  public void recordBatch(List<PendingRecord> batch, long startMillis) {
    batchSize.record(batch.size());
    for (PendingRecord record : batch) {
      queued.record(Math.max(0, startMillis - record.arrivalMillis()), TimeUnit.MILLISECONDS);
    }
  }

  /** The model classified {@code count} images in {@code nanos}. */
  public void recordInference(int count, long nanos) {
    inference.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One forward pass through the model over {@code images} images is about to run. */
  public void recordForwardPass(int images) {
    forwardPass.record(images);
  }

  /** A batch's forward pass failed and its images are retried one by one. */
  public void recordBatchFallback() {
    batchFallbacks.increment();
  }

  /**
   * A deployment was handled: {@code loaded} (now served), {@code refused} (the served version
   * keeps serving) or {@code unchanged} (already served).
   */
  public void recordReload(String outcome) {
    Counter.builder("glimpse.model.reload")
        .description(
            "Deployments handled, by outcome: loaded, refused, unchanged, deferred (store unavailable)")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  /** One prediction was written, {@code endToEndMillis} after its record's timestamp. */
  public void recordPrediction(long endToEndMillis) {
    images.increment();
    throughput.add(1);
    endToEnd.record(Math.max(0, endToEndMillis), TimeUnit.MILLISECONDS);
  }

  /**
   * An image carried a ground-truth label that model {@code name} version {@code version} does not
   * know: it was classified all the same, most likely by a model trained on other data.
   */
  public void recordUnknownLabel(String name, String version) {
    Counter.builder("glimpse.images.unknown.label")
        .description(
            "Images whose ground-truth label is not one of the served model's labels (published for"
                + " another model?)")
        .tags(Tags.of("model", name, "version", version))
        .register(registry)
        .increment();
  }

  /** One record went to the dead-letter topic. */
  public void recordDeadLetter(DeadLetterReason reason) {
    deadLetters.get(reason).increment();
  }

  /** The model now served: {@code glimpse_model_info{model,version}} is 1 for it. */
  public void servingModel(String name, String version) {
    Gauge gauge =
        Gauge.builder("glimpse.model.info", () -> 1)
            .description("The model version being served (value is always 1)")
            .tags(Tags.of("model", name, "version", version))
            .register(registry);
    Gauge previous = modelInfo.getAndSet(gauge);
    if (previous != null && previous != gauge) {
      registry.remove(previous);
    }
  }
}
