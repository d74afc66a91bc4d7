package io.glimpse.schemas.registry;

/**
 * One registered version of a subject: its global schema id, its version within the subject, and
 * the schema text.
 */
public record SchemaMetadata(String subject, int version, int id, String schema) {}
