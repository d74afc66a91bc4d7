/**
 * What a training run leaves next to its artifact for people: {@code metrics.json} (settings,
 * per-epoch history, per-class accuracy, confusion matrices, wall time) and two PNG plots drawn
 * with JFreeChart (headless): the training curves and the confusion matrix.
 */
package io.glimpse.trainer.report;
