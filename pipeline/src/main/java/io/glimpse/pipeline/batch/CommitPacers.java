package io.glimpse.pipeline.batch;

import java.util.Map;
import java.util.function.DoubleSupplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * One {@link CommitPacer} per stream thread, shared by the batchers of that thread's tasks (a
 * commit covers all of them), each fed the thread's own {@code commit-latency-avg}.
 */
final class CommitPacers {
  private static final String THREAD_GROUP = "stream-thread-metrics";
  private static final String COMMIT_LATENCY = "commit-latency-avg";

  private final ThreadLocal<CommitPacer> pacers = new ThreadLocal<>();

  /** The calling stream thread's pacer, made on first use with the thread's settings. */
  CommitPacer forThisThread(ProcessorContext<?, ?> context) {
    CommitPacer pacer = pacers.get();
    if (pacer == null) {
      pacer = new CommitPacer(commitLatency(context), commitInterval(context));
      pacers.set(pacer);
    }
    return pacer;
  }

  private static long commitInterval(ProcessorContext<?, ?> context) {
    Object value = context.appConfigs().get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
    if (value instanceof Number number) {
      return number.longValue();
    }
    return value == null ? 100 : Long.parseLong(value.toString().trim());
  }

  /** Reads the thread's average commit latency each time; NaN until Streams has measured one. */
  private static DoubleSupplier commitLatency(ProcessorContext<?, ?> context) {
    String thread = Thread.currentThread().getName();
    Map<MetricName, ? extends Metric> metrics = context.metrics().metrics();
    Metric[] found = new Metric[1];
    return () -> {
      if (found[0] == null) {
        for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
          MetricName name = entry.getKey();
          if (COMMIT_LATENCY.equals(name.name())
              && THREAD_GROUP.equals(name.group())
              && thread.equals(name.tags().get("thread-id"))) {
            found[0] = entry.getValue();
          }
        }
        if (found[0] == null) {
          return Double.NaN;
        }
      }
      return ((Number) found[0].metricValue()).doubleValue();
    };
  }
}
