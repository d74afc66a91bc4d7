package io.glimpse.model.inference;

import ai.djl.ndarray.types.Shape;

/**
 * A batch of preprocessed images as one float array, NCHW, and the shape to view it as.
 *
 * @param data {@code shape.size()} floats
 * @param shape {@code (batchSize, channels, height, width)}
 */
record BatchInput(float[] data, Shape shape) {}
