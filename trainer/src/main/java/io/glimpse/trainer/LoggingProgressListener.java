package io.glimpse.trainer;

import io.glimpse.trainer.metrics.EpochMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs each epoch's result at INFO and run phases at INFO; batches are not logged. */
public final class LoggingProgressListener implements ProgressListener {

  private static final Logger logger = LoggerFactory.getLogger(LoggingProgressListener.class);

  @Override
  public void onEpochStart(int epoch, int epochs, int batches, int batchSize) {
    logger.debug("Epoch {}/{}: {} batches of {}", epoch, epochs, batches, batchSize);
  }

  @Override
  public void onEpochEnd(EpochMetrics m, boolean best) {
    logger.info(
        "Epoch {}: train loss {} acc {}, validation loss {} acc {}{}, lr {}, {} s ({} images/s)",
        m.epoch(),
        String.format("%.4f", m.trainLoss()),
        String.format("%.4f", m.trainAccuracy()),
        String.format("%.4f", m.validationLoss()),
        String.format("%.4f", m.validationAccuracy()),
        best ? " (best)" : "",
        String.format("%.5f", m.learningRate()),
        String.format("%.1f", m.seconds()),
        String.format("%.0f", m.imagesPerSecond()));
  }

  @Override
  public void onPhase(String description) {
    logger.info("Training run: {}", description);
  }
}
