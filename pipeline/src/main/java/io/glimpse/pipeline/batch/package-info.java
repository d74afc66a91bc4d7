/**
 * Durable micro-batching: the processor, its changelogged buffer, and the batch policy (size and
 * wall-clock linger).
 */
package io.glimpse.pipeline.batch;
