/**
 * The pipeline's configuration: one properties file with documented defaults, overridable by
 * environment variables, with every Kafka key passed straight through.
 */
package io.glimpse.pipeline.config;
