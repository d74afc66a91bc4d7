package io.glimpse.schemas.serde;

import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/**
 * How a serializer names the registry subject a schema is registered under. The built-in strategies
 * match Confluent's, and Confluent's class names are accepted in configuration, so a configuration
 * written for Confluent's serializer works unchanged.
 */
@FunctionalInterface
public interface SubjectNameStrategy {

  /** The subject for a record of the given schema written to the topic as key or value. */
  String subjectName(String topic, boolean isKey, Schema schema);

  /** {@code <topic>-key} / {@code <topic>-value}: one schema lineage per topic (the default). */
  SubjectNameStrategy TOPIC_NAME = (topic, isKey, schema) -> topic + (isKey ? "-key" : "-value");

  /** The record's full name: one lineage per record type, across topics. */
  SubjectNameStrategy RECORD_NAME = (topic, isKey, schema) -> recordName(schema);

  /** {@code <topic>-<record full name>}: several record types on one topic. */
  SubjectNameStrategy TOPIC_RECORD_NAME =
      (topic, isKey, schema) -> topic + "-" + recordName(schema);

  /**
   * Resolves a configured strategy: a {@link SubjectNameStrategy} instance or class, or a class
   * name whose simple name is TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy (in
   * any package, so Confluent's {@code io.confluent.kafka.serializers.subject.*} names work).
   */
  static SubjectNameStrategy fromConfig(String key, Object value) {
    if (value == null) {
      return TOPIC_NAME;
    }
    if (value instanceof SubjectNameStrategy strategy) {
      return strategy;
    }
    String name = value instanceof Class<?> c ? c.getName() : value.toString().trim();
    String simple = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return switch (simple) {
      case "topicnamestrategy" -> TOPIC_NAME;
      case "recordnamestrategy" -> RECORD_NAME;
      case "topicrecordnamestrategy" -> TOPIC_RECORD_NAME;
      default ->
          throw new ConfigException(
              key,
              value,
              "expected TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy");
    };
  }

  private static String recordName(Schema schema) {
    if (schema.getType() != Schema.Type.RECORD) {
      // Confluent names primitives by type for the record strategies.
      return schema.getType().getName();
    }
    return schema.getFullName();
  }
}
