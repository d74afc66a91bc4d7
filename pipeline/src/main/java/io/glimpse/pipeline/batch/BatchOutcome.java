package io.glimpse.pipeline.batch;

import io.glimpse.pipeline.dlq.DeadLetter;

/** What became of one pending record: a prediction or a dead letter, never both. */
public sealed interface BatchOutcome {

  /** The record the outcome belongs to. */
  PendingRecord source();

  /** The record was classified; {@code prediction} is the serialized Prediction. */
  record Predicted(PendingRecord source, byte[] prediction) implements BatchOutcome {}

  /** The record goes to the dead-letter topic. */
  record Rejected(PendingRecord source, DeadLetter deadLetter) implements BatchOutcome {}
}
