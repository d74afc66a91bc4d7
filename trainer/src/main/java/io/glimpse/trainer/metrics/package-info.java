/**
 * What a training run measures: per-epoch loss, accuracy and speed ({@link
 * io.glimpse.trainer.metrics.EpochMetrics}) and a classifier's confusion matrix with its per-class
 * accuracy ({@link io.glimpse.trainer.metrics.ClassificationReport}). Plain immutable values,
 * shared by the trainer, its checkpoints, {@code metrics.json} and the plots.
 */
package io.glimpse.trainer.metrics;
