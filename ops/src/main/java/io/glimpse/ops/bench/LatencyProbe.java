package io.glimpse.ops.bench;

import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.pipeline.config.PipelineConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-to-end latency at a fixed offered load: a paced producer publishes images evenly spaced at
 * {@code rate} per second to a running pipeline; each image's latency is from its record timestamp
 * (the moment it was published) to the moment a {@code read_committed} consumer received its
 * prediction. The first seconds of load (warm-up) are left out. The pipeline-side latency, to the
 * prediction's {@code processedTime} (before the transaction commits), is reported alongside.
 */
final class LatencyProbe {
  private static final Logger LOG = LoggerFactory.getLogger(LatencyProbe.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private LatencyProbe() {}

  /**
   * The measured latencies.
   *
   * @param offeredPerSecond the offered load
   * @param measured images measured (after the warm-up)
   * @param p50Millis median publish-to-consumer latency
   * @param p99Millis 99th percentile publish-to-consumer latency
   * @param p999Millis 99.9th percentile publish-to-consumer latency
   * @param processedP50Millis median publish-to-processedTime latency
   * @param processedP99Millis 99th percentile publish-to-processedTime latency
   * @param meanBatchSize mean batch size the pipeline formed under this load
   * @param breakdown p50 and p99 of each stage: publish to the pipeline's arrival (approximate: to
   *     processedTime less the pipeline's queued and inference counts), queued in the batch buffer,
   *     the batch's forward pass, and processedTime to the consumer (the commit)
   */
  record Result(
      double offeredPerSecond,
      int measured,
      double p50Millis,
      double p99Millis,
      double p999Millis,
      double processedP50Millis,
      double processedP99Millis,
      double meanBatchSize,
      Map<String, Object> breakdown) {}

  /** The probes a run asks for: the low rate (if any), then each fraction of {@code saturated}. */
  static List<Result> measureAll(BenchContext context, double saturated)
      throws ModelArtifactException, InterruptedException {
    BenchSettings settings = context.settings();
    List<Result> results = new ArrayList<>();
    if (settings.lowRate() > 0) {
      results.add(measure(context, "bench-latency-low", settings.lowRate()));
    }
    for (double fraction : settings.loadFractions()) {
      String phase = "bench-latency-" + Math.round(fraction * 100);
      results.add(measure(context, phase, fraction * saturated));
    }
    return results;
  }

  /**
   * Offers {@code rate} images per second for the warm-up and then the settings' load seconds.
   *
   * @throws ModelArtifactException when the pipeline cannot serve the model
   */
  static Result measure(BenchContext context, String phase, double rate)
      throws ModelArtifactException, InterruptedException {
    BenchSettings settings = context.settings();
    int warmUpSeconds = Math.max(1, settings.loadSeconds() / 10);
    int total = (int) Math.ceil(rate * (warmUpSeconds + settings.loadSeconds()));
    BenchTopics topics = context.topics(phase);
    PipelineConfig config =
        BenchPipeline.config(
            context.stack(),
            topics,
            context.model(),
            context.workspace().resolve("streams"),
            settings,
            settings.batchSize());
    List<PredictionCollector.Observed> observed;
    long measureFrom;
    PipelineProfile.Snapshot start;
    PipelineProfile.Snapshot end;
    ExecutorService producerThread =
        Executors.newSingleThreadExecutor(r -> new Thread(r, "glimpse-bench-paced-producer"));
    try (PredictionCollector collector =
            new PredictionCollector(
                context.stack().bootstrapServers(), context.clientConfig(), topics);
        BenchPipeline pipeline = BenchPipeline.start(config);
        ImagePublisher publisher = new ImagePublisher(context.stack().bootstrapServers())) {
      awaitRunning(pipeline);
      measureFrom = System.currentTimeMillis() + warmUpSeconds * 1000L;
      CompletableFuture<Void> load =
          CompletableFuture.runAsync(
              () -> publisher.publishPaced(topics.images(), context.images(), rate, total),
              producerThread);
      start = pipeline.snapshot();
      Duration timeout = Duration.ofSeconds(warmUpSeconds + settings.loadSeconds() + 60L);
      observed = collector.collect(total, timeout, pipeline::checkAlive);
      end = pipeline.snapshot();
      awaitLoad(load);
    } finally {
      producerThread.shutdownNow();
    }
    double[] endToEnd = latencies(observed, measureFrom, o -> o.receivedMillis() - o.imageMillis());
    double[] processed =
        latencies(observed, measureFrom, o -> o.processedMillis() - o.imageMillis());
    Map<String, Object> profile = PipelineProfile.between(start, end, settings.threads());
    Result result =
        new Result(
            rate,
            endToEnd.length,
            percentile(endToEnd, 0.50),
            percentile(endToEnd, 0.99),
            percentile(endToEnd, 0.999),
            percentile(processed, 0.50),
            percentile(processed, 0.99),
            ((Number) profile.get("mean_batch_size")).doubleValue(),
            breakdown(observed, measureFrom));
    LOG.info(
        "Latency at {} images/s over {} images: p50 {} ms, p99 {} ms, p99.9 {} ms",
        Math.round(rate),
        result.measured(),
        result.p50Millis(),
        result.p99Millis(),
        result.p999Millis());
    return result;
  }

  private static void awaitRunning(BenchPipeline pipeline) throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!pipeline.running()) {
      pipeline.checkAlive();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "The latency probe's pipeline did not reach RUNNING in "
                + START_TIMEOUT.toSeconds()
                + " s");
      }
      Thread.sleep(20); // polling a state; Streams offers no future for it
    }
  }

  private static void awaitLoad(CompletableFuture<Void> load) throws InterruptedException {
    try {
      load.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("The paced producer failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("The paced producer did not finish", e);
    }
  }

  private static Map<String, Object> breakdown(
      List<PredictionCollector.Observed> observed, long from) {
    Map<String, ToDoubleFunction<PredictionCollector.Observed>> stages = new LinkedHashMap<>();
    stages.put(
        "publish_to_arrival",
        o -> o.processedMillis() - o.imageMillis() - o.queuedMillis() - o.inferenceMillis());
    stages.put("queued", PredictionCollector.Observed::queuedMillis);
    stages.put("inference", PredictionCollector.Observed::inferenceMillis);
    stages.put("processed_to_consumer", o -> o.receivedMillis() - o.processedMillis());
    Map<String, Object> breakdown = new LinkedHashMap<>();
    stages.forEach(
        (stage, latency) -> {
          double[] values = latencies(observed, from, latency);
          breakdown.put(stage + "_p50_ms", percentile(values, 0.50));
          breakdown.put(stage + "_p99_ms", percentile(values, 0.99));
        });
    return breakdown;
  }

  /** Sorted latencies of the images published at or after {@code from}. */
  private static double[] latencies(
      List<PredictionCollector.Observed> observed,
      long from,
      ToDoubleFunction<PredictionCollector.Observed> latency) {
    return observed.stream()
        .filter(o -> o.imageMillis() >= from)
        .mapToDouble(latency)
        .sorted()
        .toArray();
  }

  /** Nearest-rank percentile of sorted values; 0 for none. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }
}
