/**
 * An embedded, Confluent-compatible schema registry: the subset of the REST API that Confluent's
 * Avro serializers and Glimpse's own clients call, for AVRO schemas only.
 *
 * <p>Three layers, each usable alone:
 *
 * <ul>
 *   <li>{@link io.glimpse.schemas.registry.server.SchemaRegistryService} — the registry's rules
 *       (ids, versions, soft delete, compatibility), thread-safe and free of HTTP;
 *   <li>{@link io.glimpse.schemas.registry.server.SchemaStore} — the durable log the service writes
 *       before it changes state and replays on start, in the record layout of Confluent's {@code
 *       _schemas} topic: {@link io.glimpse.schemas.registry.server.InMemorySchemaStore} for tests
 *       and {@link io.glimpse.schemas.registry.server.KafkaSchemaStore} for a real topic;
 *   <li>{@link io.glimpse.schemas.registry.server.SchemaRegistryServer} — the REST endpoints on the
 *       JDK's {@code HttpServer}.
 * </ul>
 *
 * <p>One service instance is the only writer of its log: it reads the log once at start and does
 * not follow records written by another registry afterwards.
 */
package io.glimpse.schemas.registry.server;
