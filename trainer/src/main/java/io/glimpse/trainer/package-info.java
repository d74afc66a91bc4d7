/**
 * Training MobileNetV1 model versions with DJL: a {@link io.glimpse.trainer.TrainingConfig} (built
 * in DJL's {@code setX}/{@code optX}/{@code build()} words) goes into a {@link
 * io.glimpse.trainer.TrainingJob}, which trains, validates every epoch, checkpoints, keeps the best
 * epoch, and writes the model artifact, {@code metrics.json} and plots; it returns a {@link
 * io.glimpse.trainer.TrainingResult} that tests and the CLI share. Progress goes to a {@link
 * io.glimpse.trainer.ProgressListener}; the library itself only logs, through SLF4J.
 */
package io.glimpse.trainer;
