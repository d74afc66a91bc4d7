package io.glimpse.pipeline.serving;

/** Where a batch gets the model it runs on: the version served now, held until the batch ends. */
@FunctionalInterface
public interface ModelProvider {

  /**
   * Takes a hold on the version served now; the whole batch runs on it.
   *
   * @return a lease to close when the batch is done
   * @throws IllegalStateException when no model is served yet (the pipeline does not start its
   *     stream threads before one is)
   */
  ModelLease acquire();
}
