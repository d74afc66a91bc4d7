/**
 * Trying a model version before it serves: a shadow pipeline's settings ({@link
 * io.glimpse.ops.evaluation.ShadowSettings}), a bounded replay of a range of {@code images} ({@link
 * io.glimpse.ops.evaluation.ReplayEvaluation}), and the comparison of two versions' predictions by
 * image id ({@link io.glimpse.ops.evaluation.PredictionComparison}).
 */
package io.glimpse.ops.evaluation;
