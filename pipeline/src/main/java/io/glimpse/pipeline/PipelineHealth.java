package io.glimpse.pipeline;

/**
 * The pipeline's health: live while Streams is not failed or stopped; ready when, in addition, the
 * model is loaded (always, once started) and Streams is RUNNING.
 */
public record PipelineHealth(
    boolean live, boolean ready, String streamsState, String modelName, String modelVersion) {}
