/**
 * The optimization pieces of a training run, on DJL's training API: SGD with momentum and Adam
 * whose state can be checkpointed (DJL's own optimizers keep their momentum private, so a resumed
 * run would restart it from zero), a learning-rate schedule with linear warm-up and cosine decay,
 * and cross-entropy with label smoothing.
 */
package io.glimpse.trainer.optim;
