package io.glimpse.trainer.metrics;

/**
 * One epoch of training and its validation.
 *
 * @param epoch the epoch number, from 1
 * @param trainLoss mean training loss (with label smoothing, on augmented images)
 * @param trainAccuracy share of training images classified right while training
 * @param validationLoss mean validation loss
 * @param validationAccuracy share of validation images classified right
 * @param learningRate the learning rate of the epoch's last update
 * @param seconds wall time of the epoch's training (not its validation)
 * @param imagesPerSecond training images per second
 * @param elapsedSeconds wall time since the run started (first run, if resumed), validation
 *     included: the x axis of an accuracy-vs-time curve
 */
public record EpochMetrics(
    int epoch,
    double trainLoss,
    double trainAccuracy,
    double validationLoss,
    double validationAccuracy,
    double learningRate,
    double seconds,
    double imagesPerSecond,
    double elapsedSeconds) {}
