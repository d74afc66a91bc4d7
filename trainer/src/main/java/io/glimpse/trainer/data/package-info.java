/**
 * Labelled image data sets for training: readers for Fashion-MNIST's IDX files, CIFAR-10's binary
 * batches and image folders, a procedurally generated set that needs no files at all, and the DJL
 * {@link ai.djl.training.dataset.Dataset} that turns any of them into normalized, augmented float
 * batches.
 *
 * <p>Every reader produces an {@link io.glimpse.trainer.data.ImageDataset}: 8-bit pixels,
 * interleaved (HWC) like {@link io.glimpse.model.image.DecodedImage}, one label index per image.
 * Readers fail with a {@link io.glimpse.trainer.data.DatasetException} that names the file and what
 * was expected of it.
 */
package io.glimpse.trainer.data;
