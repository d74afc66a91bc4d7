package io.glimpse.pipeline.batch;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.processor.TaskId;

/**
 * How many commits of each task have completed, as its batch buffer's commit hook reports them.
 *
 * <p>Kafka Streams calls a store's {@code commit} after the task's commit flushed the producer
 * (every output acknowledged) and committed the consumed offsets. A count that moved past the value
 * seen when a batch was forwarded therefore proves that batch's predictions durable. One instance
 * is shared by a supplier's stores (which count) and processors (which read); a task's store and
 * processor run on the same stream thread, and the map is concurrent because all threads share it.
 */
final class TaskCommits {
  private final Map<TaskId, AtomicLong> counts = new ConcurrentHashMap<>();

  /** Called by the task's buffer store when a commit of the task has completed. */
  void committed(TaskId task) {
    counter(task).incrementAndGet();
  }

  /** The number of completed commits of {@code task}, read live (looked up once, not per read). */
  LongSupplier completed(TaskId task) {
    return counter(task)::get;
  }

  private AtomicLong counter(TaskId task) {
    return counts.computeIfAbsent(task, t -> new AtomicLong());
  }
}
