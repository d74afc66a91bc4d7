/**
 * What the pipeline learns from what it classified: late labels joined with predictions into online
 * accuracy per model version ({@link io.glimpse.pipeline.quality.LabelJoinProcessor}), and drift of
 * each version's predictions against its own reference window, which needs no labels ({@link
 * io.glimpse.pipeline.quality.DriftProcessor}). Both run in {@link
 * io.glimpse.pipeline.quality.QualityMonitor}, a Kafka Streams application beside the
 * classification one.
 */
package io.glimpse.pipeline.quality;
