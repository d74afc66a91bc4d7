package io.glimpse.trainer.optim;

import ai.djl.training.tracker.Tracker;
import java.util.Set;

/**
 * What every {@link CheckpointedOptimizer} takes.
 *
 * @param learningRate the schedule by update number
 * @param weightDecay L2 decay of weights
 * @param noDecayParameterIds DJL ids of the parameters exempt from decay
 * @param beginNumUpdate updates already done (a resumed run continues the schedule from here)
 */
public record OptimizerSettings(
    Tracker learningRate, float weightDecay, Set<String> noDecayParameterIds, int beginNumUpdate) {}
