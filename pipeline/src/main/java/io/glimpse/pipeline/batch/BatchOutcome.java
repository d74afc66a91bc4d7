package io.glimpse.pipeline.batch;

import io.glimpse.pipeline.dlq.DeadLetter;
import io.glimpse.schemas.avro.Prediction;

/** What became of one pending record: a prediction or a dead letter, never both. */
public sealed interface BatchOutcome {

  /** The record the outcome belongs to. */
  PendingRecord source();

  /** The record was classified. */
  record Predicted(PendingRecord source, Prediction prediction) implements BatchOutcome {}

  /** The record goes to the dead-letter topic. */
  record Rejected(PendingRecord source, DeadLetter deadLetter) implements BatchOutcome {}
}
