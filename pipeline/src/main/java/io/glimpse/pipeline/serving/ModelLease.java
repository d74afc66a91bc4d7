package io.glimpse.pipeline.serving;

/**
 * One batch's hold on the model version it runs on. While any lease on a version is open the
 * version stays loaded, even after a newer one has been swapped in; closing the last lease of a
 * replaced version closes it and frees its native memory.
 */
public interface ModelLease extends AutoCloseable {

  /** The model this batch runs on, from start to end. */
  ServingModel model();

  /** Ends the batch's hold on the model. */
  @Override
  void close();
}
