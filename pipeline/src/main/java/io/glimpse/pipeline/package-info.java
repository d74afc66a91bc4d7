/**
 * The Glimpse pipeline: {@link io.glimpse.pipeline.GlimpsePipeline} runs the topology {@link
 * io.glimpse.pipeline.ClassificationTopology} builds, images in, predictions out.
 */
package io.glimpse.pipeline;
