/**
 * The dead-letter topic's contract: why a record could not be classified ({@link
 * io.glimpse.pipeline.dlq.DeadLetterReason}) and the headers that say so.
 */
package io.glimpse.pipeline.dlq;
