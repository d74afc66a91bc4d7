package io.glimpse.pipeline.batch;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.TaskId;

/**
 * What the batching processors of one pipeline share about failures, across stream threads and
 * their replacements (a replaced thread's tasks get new processor instances, so the counts cannot
 * live in a processor): consecutive batch failures per task, and which tasks wait for an outage to
 * end.
 */
public final class FaultTracker {

  /** Told when an outage starts or goes on, and when the last one ends. */
  public interface OutageListener {
    /** A batch waits for a dependency; it is retried in {@code retryIn}. */
    void unavailable(String reason, Duration retryIn);

    /** No task waits any more. */
    void recovered();
  }

  private final FaultPolicy policy;
  private final Map<TaskId, Integer> batchFailures = new ConcurrentHashMap<>();
  private final Map<TaskId, String> outages = new ConcurrentHashMap<>();
  private volatile OutageListener listener;

  /** A tracker applying {@code policy}. */
  public FaultTracker(FaultPolicy policy) {
    this.policy = policy;
  }

  /** The limits applied. */
  public FaultPolicy policy() {
    return policy;
  }

  /** Who is told about outages (one listener; the pipeline pauses and resumes Streams). */
  public void setOutageListener(OutageListener listener) {
    this.listener = listener;
  }

  /** The reason of an outage some task waits for, if any. */
  public Optional<String> outage() {
    return outages.values().stream().findFirst();
  }

  int batchFailed(TaskId task) {
    return batchFailures.merge(task, 1, Integer::sum);
  }

  void batchDone(TaskId task) {
    if (!batchFailures.isEmpty()) {
      batchFailures.remove(task);
    }
  }

  void unavailable(TaskId task, String reason, Duration retryIn) {
    outages.put(task, reason);
    OutageListener l = listener;
    if (l != null) {
      l.unavailable(reason, retryIn);
    }
  }

  void available(TaskId task) {
    if (outages.remove(task) != null && outages.isEmpty()) {
      OutageListener l = listener;
      if (l != null) {
        l.recovered();
      }
    }
  }
}
