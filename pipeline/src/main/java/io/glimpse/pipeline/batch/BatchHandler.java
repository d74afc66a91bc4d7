package io.glimpse.pipeline.batch;

import java.util.List;

/**
 * Turns one batch of pending records into outcomes: one per record, in the same order, each a
 * prediction or a dead letter. Implementations never throw for one bad record; a thrown exception
 * means the whole batch could not be handled (the model is gone, say) and stops the task, so Kafka
 * Streams retries it from the buffer.
 */
@FunctionalInterface
public interface BatchHandler {

  /** Handles a batch; {@code startMillis} is the wall-clock time the batch started. */
  List<BatchOutcome> handle(List<PendingRecord> batch, long startMillis);
}
