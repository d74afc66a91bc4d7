package io.glimpse.ops.bench;

import io.glimpse.pipeline.GlimpsePipeline;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Where a running pipeline's stream threads spend their time, from cumulative counters: Kafka
 * Streams' and its producers' JMX metrics (commits, time blocked on Kafka, transaction calls) and
 * the pipeline's own meters (batches, forward-pass time). Take a {@link Snapshot} when processing
 * starts and one when it ends; {@link #between} turns the two into shares of the threads' time.
 */
final class PipelineProfile {
  private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

  private PipelineProfile() {}

  /** Cumulative counters at one instant. */
  record Snapshot(
      long nanoTime,
      double commits,
      double commitLatencyAvgMs,
      double blockedNs,
      double transactionNs,
      double inferenceSeconds,
      double batches,
      double batchedImages,
      double forwardPasses,
      double batchFallbacks,
      Map<String, Double> threadRatios,
      int streamThreads) {}

  /** Reads the counters of the pipeline whose {@code application.id} is {@code applicationId}. */
  static Snapshot snapshot(GlimpsePipeline pipeline, String applicationId) {
    String metrics = pipeline.scrapeMetrics();
    String threads = "kafka.streams:type=stream-thread-metrics,*";
    String producers = "kafka.producer:type=producer-metrics,*";
    Map<String, Double> ratios = new LinkedHashMap<>();
    for (String ratio : new String[] {"poll-ratio", "process-ratio", "punctuate-ratio"}) {
      ratios.put(ratio.replace('-', '_'), mean(threads, "thread-id", applicationId, ratio));
    }
    ratios.put("commit_ratio", mean(threads, "thread-id", applicationId, "commit-ratio"));
    return new Snapshot(
        System.nanoTime(),
        sum(threads, "thread-id", applicationId, "commit-total"),
        mean(threads, "thread-id", applicationId, "commit-latency-avg"),
        sum(threads, "thread-id", applicationId, "blocked-time-ns-total"),
        sum(producers, "client-id", applicationId, "txn-commit-time-ns-total")
            + sum(producers, "client-id", applicationId, "txn-send-offsets-time-ns-total")
            + sum(producers, "client-id", applicationId, "flush-time-ns-total"),
        prometheus(metrics, "glimpse_inference_latency_seconds_sum"),
        prometheus(metrics, "glimpse_batch_size_count"),
        prometheus(metrics, "glimpse_batch_size_sum"),
        prometheus(metrics, "glimpse_forward_pass_images_count"),
        prometheus(metrics, "glimpse_batch_fallback_total"),
        ratios,
        count(threads, "thread-id", applicationId, "commit-total"));
  }

  /**
   * The profile of the interval between two snapshots of a pipeline with {@code threads} stream
   * threads (0: as many as were running at the end): each share is a fraction of the threads'
   * wall-clock time in the interval.
   */
  static Map<String, Object> between(Snapshot start, Snapshot end, int threads) {
    int running = threads > 0 ? threads : Math.max(1, end.streamThreads());
    double threadNanos = Math.max(1, end.nanoTime() - start.nanoTime()) * (double) running;
    double batches = end.batches() - start.batches();
    double commits = end.commits() - start.commits();
    Map<String, Object> profile = new LinkedHashMap<>();
    profile.put("stream_threads", running);
    profile.put("batches", Math.round(batches));
    profile.put(
        "mean_batch_size",
        batches > 0 ? (end.batchedImages() - start.batchedImages()) / batches : 0.0);
    profile.put("forward_passes", Math.round(end.forwardPasses() - start.forwardPasses()));
    profile.put("batch_fallbacks", Math.round(end.batchFallbacks() - start.batchFallbacks()));
    profile.put("commits", Math.round(commits));
    profile.put("commit_latency_avg_ms", end.commitLatencyAvgMs());
    profile.put(
        "inference_share", (end.inferenceSeconds() - start.inferenceSeconds()) * 1e9 / threadNanos);
    profile.put("commit_share", commits * end.commitLatencyAvgMs() * 1e6 / threadNanos);
    profile.put(
        "transaction_calls_share", (end.transactionNs() - start.transactionNs()) / threadNanos);
    profile.put("blocked_on_kafka_share", (end.blockedNs() - start.blockedNs()) / threadNanos);
    profile.put("stream_thread_ratios_per_iteration", end.threadRatios());
    return profile;
  }

  private static double sum(String pattern, String key, String applicationId, String attribute) {
    double total = 0;
    for (ObjectName name : names(pattern, key, applicationId)) {
      double v = value(name, attribute);
      if (!Double.isNaN(v)) { // Streams registers a second, smaller bean per thread
        total += v;
      }
    }
    return total;
  }

  /** How many beans have a number for {@code attribute}: one per live stream thread. */
  private static int count(String pattern, String key, String applicationId, String attribute) {
    int count = 0;
    for (ObjectName name : names(pattern, key, applicationId)) {
      if (!Double.isNaN(value(name, attribute))) {
        count++;
      }
    }
    return count;
  }

  private static double mean(String pattern, String key, String applicationId, String attribute) {
    Set<ObjectName> names = names(pattern, key, applicationId);
    double total = 0;
    int count = 0;
    for (ObjectName name : names) {
      double v = value(name, attribute);
      if (!Double.isNaN(v)) {
        total += v;
        count++;
      }
    }
    return count == 0 ? 0 : total / count;
  }

  private static Set<ObjectName> names(String pattern, String key, String applicationId) {
    try {
      Set<ObjectName> names = JMX.queryNames(new ObjectName(pattern), null);
      names.removeIf(
          n -> n.getKeyProperty(key) == null || !n.getKeyProperty(key).startsWith(applicationId));
      return names;
    } catch (JMException e) {
      return Set.of();
    }
  }

  private static double value(ObjectName name, String attribute) {
    try {
      Object value = JMX.getAttribute(name, attribute);
      return value instanceof Number n ? n.doubleValue() : Double.NaN;
    } catch (JMException e) {
      return Double.NaN; // a client that closed between the query and the read
    }
  }

  /** The sum of every sample of a metric in Prometheus text format. */
  static double prometheus(String text, String metric) {
    double total = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(metric + " ") || line.startsWith(metric + "{")) {
        try {
          total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        } catch (NumberFormatException e) {
          // a sample that is not a number (NaN is parsed; anything else is skipped)
        }
      }
    }
    return total;
  }
}
