/**
 * The {@code glimpse} command line ({@code bin/glimpse}): {@code up} runs the embedded stack and a
 * pipeline as a local service, {@code publish} sends images, {@code tail} follows predictions or
 * dead letters, {@code stack} runs the embedded Kafka stack, {@code demo} runs the stack and the
 * pipeline on it, {@code pipeline} runs one pipeline instance, {@code train} trains and publishes a
 * version, {@code models} (in {@code io.glimpse.ops.cli.models}) registers, promotes, rolls back
 * and pins versions, {@code bench} benchmarks.
 *
 * <p>This is the only package that prints to the console; everything else logs through SLF4J. Exit
 * codes: 0 success, 1 runtime failure (one line on stderr; {@code --verbose} or {@code
 * GLIMPSE_LOG_LEVEL=DEBUG} adds the stack trace), 2 usage error.
 */
package io.glimpse.ops.cli;
