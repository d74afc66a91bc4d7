package io.glimpse.ops.bench;

import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.pipeline.config.PipelineConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's steady-state throughput: M images are published to a fresh topic first (so the
 * producer cannot be the bottleneck), then the pipeline starts and drains them; the rate is taken
 * from the predictions' {@code processedTime}, after the first 10 % of them (warm-up, first
 * commit), to the last.
 */
final class PipelineThroughput {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineThroughput.class);
  private static final double WARM_UP_FRACTION = 0.1;

  private PipelineThroughput() {}

  /**
   * One phase's outcome.
   *
   * @param imagesPerSecond steady-state predictions per second
   * @param predictions predictions received
   * @param deadLetters images dead-lettered (0 unless something is wrong)
   * @param settings the pipeline settings it ran with
   * @param profile where the stream threads' time went ({@link PipelineProfile})
   * @param cpu the process's CPU by thread group ({@link ThreadCpu})
   * @param cpuMillisPerImage the whole process's CPU time per image (broker and JIT included)
   */
  record Result(
      double imagesPerSecond,
      double cpuMillisPerImage,
      int predictions,
      int deadLetters,
      Map<String, Object> settings,
      Map<String, Object> profile,
      Map<String, Object> cpu) {}

  /**
   * Runs one phase at batch size {@code batchSize}.
   *
   * @param timeout how long the pipeline may take to classify every image
   * @throws ModelArtifactException when the pipeline cannot serve the model
   */
  static Result measure(BenchContext context, String phase, int batchSize, Duration timeout)
      throws ModelArtifactException {
    return measure(context, context.images(), phase, batchSize, timeout);
  }

  /**
   * Runs one phase at batch size {@code batchSize} over {@code images} (the context's, or a copy
   * with poison records mixed in).
   *
   * @throws ModelArtifactException when the pipeline cannot serve the model
   */
  static Result measure(
      BenchContext context, BenchImages images, String phase, int batchSize, Duration timeout)
      throws ModelArtifactException {
    BenchTopics topics = context.topics(phase);
    try (ImagePublisher publisher = new ImagePublisher(context.stack().bootstrapServers())) {
      publisher.publishAll(topics.images(), images);
    }
    PipelineConfig config =
        BenchPipeline.config(
            context.stack(),
            topics,
            context.model(),
            context.workspace().resolve("streams"),
            context.settings(),
            batchSize);
    Window window = new Window();
    List<PredictionCollector.Observed> observed;
    int deadLetters;
    try (PredictionCollector collector =
            new PredictionCollector(
                context.stack().bootstrapServers(), context.clientConfig(), topics);
        BenchPipeline pipeline = BenchPipeline.start(config)) {
      observed =
          collector.collect(
              images.count(),
              timeout,
              () -> {
                pipeline.checkAlive();
                if (window.start == null && pipeline.running()) {
                  window.open(pipeline);
                }
              });
      if (window.start == null) {
        window.open(pipeline);
      }
      window.close(pipeline);
      deadLetters = collector.deadLetters();
    }
    double rate = steadyRate(observed, WARM_UP_FRACTION);
    LOG.info(
        "Phase {}: {} predictions at batch size {}: {} images/s",
        phase,
        observed.size(),
        batchSize,
        Math.round(rate));
    return new Result(
        rate,
        (window.cpuSecondsEnd - window.cpuSecondsStart) * 1e3 / observed.size(),
        observed.size(),
        deadLetters,
        BenchPipeline.reportedSettings(config),
        withBatchSizes(
            PipelineProfile.between(window.start, window.end, context.settings().threads()),
            observed),
        ThreadCpu.between(
            window.cpuStart,
            window.cpuEnd,
            window.end.nanoTime() - window.start.nanoTime(),
            Map.of(phase, "stream threads + their libtorch workers")));
  }

  /**
   * Predictions per second between the first prediction after the warm-up share and the last one,
   * by {@code processedTime}; a batch shares (nearly) one processedTime, so the batch the warm-up
   * ends in is left out of the count as well as the span.
   */
  static double steadyRate(List<PredictionCollector.Observed> observed, double warmUp) {
    long[] times =
        observed.stream()
            .mapToLong(PredictionCollector.Observed::processedMillis)
            .sorted()
            .toArray();
    int n = times.length;
    if (n < 2) {
      return n;
    }
    long from = times[Math.min(n - 1, (int) (n * warmUp))];
    long span = times[n - 1] - from;
    if (span <= 0) {
      return n * 1000.0 / Math.max(1, times[n - 1] - times[0]);
    }
    long counted = Arrays.stream(times).filter(t -> t > from).count();
    return counted * 1000.0 / span;
  }

  /** Adds how many batches of each size the predictions came from, largest size first. */
  private static Map<String, Object> withBatchSizes(
      Map<String, Object> profile, List<PredictionCollector.Observed> observed) {
    Map<Integer, Long> images = new TreeMap<>(Comparator.reverseOrder());
    observed.forEach(o -> images.merge(o.batchSize(), 1L, Long::sum));
    Map<String, Object> batches = new LinkedHashMap<>();
    images.forEach(
        (size, count) -> batches.put(Integer.toString(size), Math.round((double) count / size)));
    Map<String, Object> result = new LinkedHashMap<>(profile);
    result.put("batches_by_size", batches);
    return result;
  }

  /** Counters at the start (Streams RUNNING) and the end (every prediction read). */
  private static final class Window {
    private PipelineProfile.Snapshot start;
    private PipelineProfile.Snapshot end;
    private Map<String, Double> cpuStart;
    private Map<String, Double> cpuEnd;
    private double cpuSecondsStart;
    private double cpuSecondsEnd;

    void open(BenchPipeline pipeline) {
      cpuSecondsStart = ThreadCpu.processSeconds();
      cpuStart = ThreadCpu.snapshot();
      start = pipeline.snapshot();
    }

    void close(BenchPipeline pipeline) {
      end = pipeline.snapshot();
      cpuEnd = ThreadCpu.snapshot();
      cpuSecondsEnd = ThreadCpu.processSeconds();
    }
  }
}
