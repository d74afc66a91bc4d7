package io.glimpse.pipeline.batch;

import org.apache.kafka.streams.processor.TaskId;

/**
 * The batch handler threw: the whole batch failed for a reason not tied to one record (the model
 * was closed, the device ran out of memory). Thrown out of the stream thread so the task restarts
 * from its durable buffer; {@code exhausted} says the task has failed so many times in a row that
 * retrying is pointless and the client should stop (reported not-live, for an orchestrator to
 * restart).
 */
public final class BatchFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean exhausted;

  BatchFailedException(TaskId task, int failures, boolean exhausted, Throwable cause) {
    super(
        "Task "
            + task
            + ": a batch failed as a whole ("
            + failures
            + " time(s) in a row); its images stay in the buffer"
            + (exhausted ? " and the client stops" : " and the task restarts from it")
            + ": "
            + cause,
        cause);
    this.exhausted = exhausted;
  }

  /** Whether the task failed {@code glimpse.failure.max.consecutive} times in a row. */
  public boolean exhausted() {
    return exhausted;
  }
}
