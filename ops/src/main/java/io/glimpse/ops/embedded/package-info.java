/**
 * An in-process Kafka stack for development, demos and end-to-end tests.
 *
 * <p>{@link io.glimpse.ops.embedded.EmbeddedKafkaBroker} runs a single-node KRaft broker (broker
 * and controller in one node) bound to 127.0.0.1 only. It keeps its data across restarts when it is
 * given a data directory, and cleans up after itself when it is not.
 */
package io.glimpse.ops.embedded;
