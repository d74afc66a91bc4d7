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
 * <p>Several services (registries, in one JVM or many) may share one log. Each reads what the
 * others appended before it writes and before it answers "not found" (package-private {@code
 * SchemaLog}), and the store appends only on top of the log the writer read, so no schema id or
 * version is handed out twice. On Kafka that condition is a transaction under one transactional id
 * shared by every registry on the topic.
 */
package io.glimpse.schemas.registry.server;
