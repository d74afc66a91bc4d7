/**
 * The {@code glimpse} command line ({@code bin/glimpse}): {@code stack} runs the embedded Kafka
 * stack, {@code demo} runs the stack and, later, the pipeline on it.
 *
 * <p>This is the only package that prints to the console; everything else logs through SLF4J. Exit
 * codes: 0 success, 1 runtime failure (one line on stderr; {@code --verbose} or {@code
 * GLIMPSE_LOG_LEVEL=DEBUG} adds the stack trace), 2 usage error.
 */
package io.glimpse.ops.cli;
