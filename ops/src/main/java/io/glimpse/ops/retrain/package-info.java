/**
 * Continuous retraining ({@code glimpse retrain}): every N new labelled images on {@code images}
 * (or on a drift alert), fine-tune the serving version on a pinned range, evaluate the candidate on
 * a held-out range it never trained on, compare it with the serving version there, and promote it
 * only through the lifecycle's gate; every decision, with its reason, on {@code model-comparisons}.
 * {@link io.glimpse.ops.retrain.RetrainLoop} runs the rounds; {@link
 * io.glimpse.ops.retrain.CandidateTrainer} trains, {@link io.glimpse.ops.retrain.CandidateJudge}
 * judges.
 */
package io.glimpse.ops.retrain;
