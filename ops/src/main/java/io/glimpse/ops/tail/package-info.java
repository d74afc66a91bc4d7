/**
 * Following the output topics for {@code glimpse tail}: {@link io.glimpse.ops.tail.TopicFollower}
 * reads every partition of a topic with {@code isolation.level=read_committed}, and {@link
 * io.glimpse.ops.tail.PredictionView} and {@link io.glimpse.ops.tail.DeadLetterView} turn a record
 * into a line for people or a JSON object for scripts.
 */
package io.glimpse.ops.tail;
