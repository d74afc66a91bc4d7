/**
 * Classification of a batch: ImageEvent deserialization, image decoding and preprocessing, one
 * forward pass per batch, and the Prediction records.
 */
package io.glimpse.pipeline.inference;
