/** The pipeline's Micrometer meters, exported in Prometheus format on {@code /metrics}. */
package io.glimpse.pipeline.metrics;
