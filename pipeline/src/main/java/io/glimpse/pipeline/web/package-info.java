/**
 * The live page the pipeline's HTTP endpoint serves at {@code /}: the latest images as thumbnails
 * with their predictions, rate, latency and accuracy over the last minute, dead letters, and every
 * model's versions, deployments and comparisons. Read-only.
 *
 * <p>{@link io.glimpse.pipeline.web.WebConsole} mounts the routes; {@link
 * io.glimpse.pipeline.web.LiveFeed} reads {@code predictions} and the dead letters on a consumer of
 * its own (no group, {@code read_committed}) only while a page is open, samples a few items a
 * second into bounded rings and fetches each sampled item's image by its timestamp to make a
 * thumbnail once; {@link io.glimpse.pipeline.web.EventHub} streams them as Server-Sent Events to at
 * most a few clients, each with a bounded queue, dropping a client that does not keep up rather
 * than waiting for it; {@link io.glimpse.pipeline.web.ModelsView} reads the lifecycle topics.
 * Nothing here runs on a stream thread.
 */
package io.glimpse.pipeline.web;
