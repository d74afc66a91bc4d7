/**
 * Checkpoints of a training run, one directory per epoch, written atomically: the current weights,
 * the best weights so far, the optimizer's state and the run's progress. Resuming from one gives
 * the run an uninterrupted one would have had.
 */
package io.glimpse.trainer.checkpoint;
