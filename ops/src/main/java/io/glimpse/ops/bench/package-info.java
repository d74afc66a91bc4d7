/**
 * {@code glimpse bench pipeline}: measures, in one run on one machine, the model's raw throughput
 * on images held in memory, the real pipeline's throughput batched and unbatched on an embedded
 * Kafka stack, and its end-to-end latency at a fixed offered load. {@link
 * io.glimpse.ops.bench.PipelineBench} runs the phases and returns a {@link
 * io.glimpse.ops.bench.BenchReport}; the CLI prints it.
 */
package io.glimpse.ops.bench;
