/**
 * Where the CLI's client commands find Kafka, the schema registry and the model store: {@link
 * io.glimpse.ops.cli.connection.KafkaOptions} (the flags every client command takes) over {@link
 * io.glimpse.ops.cli.connection.ConnectionSettings} (flags over {@code GLIMPSE_*} variables over a
 * properties file over the embedded stack's addresses).
 */
package io.glimpse.ops.cli.connection;
