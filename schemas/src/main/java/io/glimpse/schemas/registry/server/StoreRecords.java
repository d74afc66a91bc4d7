package io.glimpse.schemas.registry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glimpse.schemas.registry.CompatibilityLevel;
import io.glimpse.schemas.registry.RegistryErrorCode;
import io.glimpse.schemas.registry.SchemaRegistryException;

/**
 * Writes and reads the records of Confluent's {@code _schemas} topic. Keys and values are built
 * field by field so that their JSON matches what a Confluent registry writes, field order included;
 * reading tolerates the fields and key types newer Confluent versions add.
 */
final class StoreRecords {
  static final String SCHEMA_KEYTYPE = "SCHEMA";
  static final String CONFIG_KEYTYPE = "CONFIG";

  private StoreRecords() {}

  /** What one record means to the registry. */
  sealed interface Entry permits SchemaEntry, SchemaTombstone, ConfigEntry, Skipped {}

  /** A schema version (possibly soft-deleted) under a subject. */
  record SchemaEntry(
      String subject, int version, int id, String schema, boolean deleted, String schemaType)
      implements Entry {}

  /** A hard delete of one version: the key with a null value. */
  record SchemaTombstone(String subject, int version) implements Entry {}

  /** A compatibility level for a subject (null subject: global); null level removes it. */
  record ConfigEntry(String subject, CompatibilityLevel level) implements Entry {}

  /** A record this registry does not use, such as Confluent's NOOP, MODE or DELETE_SUBJECT. */
  record Skipped(String keytype) implements Entry {}

  /** The record for one schema version, soft-deleted when {@code deleted} is true. */
  static StoreRecord schema(String subject, int version, int id, String schema, boolean deleted) {
    ObjectNode key = RegistryJson.object();
    key.put("keytype", SCHEMA_KEYTYPE).put("subject", subject).put("version", version);
    key.put("magic", 1);
    ObjectNode value = RegistryJson.object();
    value.put("subject", subject).put("version", version).put("id", id);
    value.put("schema", schema).put("deleted", deleted);
    return new StoreRecord(RegistryJson.write(key), RegistryJson.write(value));
  }

  /** The record setting the compatibility level of a subject, or the global one (null subject). */
  static StoreRecord config(String subject, CompatibilityLevel level) {
    ObjectNode key = RegistryJson.object().put("keytype", CONFIG_KEYTYPE);
    if (subject == null) {
      key.putNull("subject");
    } else {
      key.put("subject", subject);
    }
    key.put("magic", 0);
    ObjectNode value = RegistryJson.object().put("compatibilityLevel", level.name());
    return new StoreRecord(RegistryJson.write(key), RegistryJson.write(value));
  }

  /**
   * Reads one record.
   *
   * @throws SchemaRegistryException STORE_ERROR when a SCHEMA or CONFIG record is not the JSON
   *     Confluent writes; unknown key types are {@link Skipped}, not errors
   */
  static Entry decode(StoreRecord record) {
    JsonNode key = parse(record.key(), record);
    String keytype = key.path("keytype").asText("");
    String subject = textOrNull(key.get("subject"));
    return switch (keytype) {
      case SCHEMA_KEYTYPE -> decodeSchema(subject, key, record);
      case CONFIG_KEYTYPE -> decodeConfig(subject, record);
      default -> new Skipped(keytype);
    };
  }

  private static Entry decodeSchema(String subject, JsonNode key, StoreRecord record) {
    if (subject == null || !key.path("version").canConvertToInt()) {
      throw corrupt(record, "a SCHEMA key needs a subject and an integer version");
    }
    int version = key.get("version").asInt();
    if (record.isTombstone()) {
      return new SchemaTombstone(subject, version);
    }
    JsonNode value = parse(record.value(), record);
    if (!value.path("id").canConvertToInt() || !value.path("schema").isTextual()) {
      throw corrupt(record, "a SCHEMA value needs an integer id and a schema string");
    }
    return new SchemaEntry(
        subject,
        version,
        value.get("id").asInt(),
        value.get("schema").asText(),
        value.path("deleted").asBoolean(false),
        value.path("schemaType").asText("AVRO"));
  }

  private static Entry decodeConfig(String subject, StoreRecord record) {
    if (record.isTombstone()) {
      return new ConfigEntry(subject, null);
    }
    String level = textOrNull(parse(record.value(), record).get("compatibilityLevel"));
    try {
      return new ConfigEntry(subject, level == null ? null : CompatibilityLevel.parse(level));
    } catch (SchemaRegistryException e) {
      throw corrupt(record, "unknown compatibilityLevel '" + level + "'");
    }
  }

  private static JsonNode parse(String json, StoreRecord record) {
    try {
      JsonNode node = RegistryJson.MAPPER.readTree(json);
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (JsonProcessingException e) {
      // reported below with the record's text
    }
    throw corrupt(record, "expected a JSON object, got " + abbreviate(json));
  }

  private static String textOrNull(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  private static SchemaRegistryException corrupt(StoreRecord record, String problem) {
    return SchemaRegistryException.of(
        RegistryErrorCode.STORE_ERROR,
        "Cannot replay the schema log: "
            + problem
            + " (record key "
            + abbreviate(record.key())
            + "). The log was not written by a Confluent-compatible registry; point the store at"
            + " the right topic or remove the record");
  }

  private static String abbreviate(String text) {
    return text == null || text.length() <= 200 ? String.valueOf(text) : text.substring(0, 200);
  }
}
