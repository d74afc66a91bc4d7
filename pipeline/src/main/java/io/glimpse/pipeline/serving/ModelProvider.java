package io.glimpse.pipeline.serving;

/** Where the pipeline gets the model to classify the next batch with. */
@FunctionalInterface
public interface ModelProvider {

  /** The model to use for the next batch. */
  ServingModel current();
}
