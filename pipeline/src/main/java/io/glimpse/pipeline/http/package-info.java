/** The pipeline's HTTP endpoint: Prometheus metrics and health probes. */
package io.glimpse.pipeline.http;
