/**
 * Batched classification with a {@link io.glimpse.model.artifact.LoadedModel}.
 *
 * <p>{@link io.glimpse.model.inference.BatchClassifier} runs a batch of preprocessed images (as
 * {@link io.glimpse.model.image.ImagePreprocessor} writes them) through the model and returns
 * softmax probabilities, with one DJL predictor per calling thread and every array created by the
 * predictor's per-call manager so that native memory is freed after each batch. {@link
 * io.glimpse.model.inference.TopK} picks the best classes from one row of probabilities, and {@link
 * io.glimpse.model.inference.Devices} turns a configuration value such as {@code auto} or {@code
 * gpu:1} into a DJL device.
 */
package io.glimpse.model.inference;
