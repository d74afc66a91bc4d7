package io.glimpse.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Schema helpers shared by the serializer and deserializer: the schema of a datum, and the
 * canonical text Glimpse registers.
 *
 * <p>Classes generated with {@code stringType=String} carry {@code "avro.java.string":"String"}
 * properties; a registry treats that text as a different schema than the plain {@code .avsc} that
 * every other language registers. Glimpse registers the schema without those properties, so Java,
 * Python and Confluent's own clients share one id per schema.
 */
public final class AvroSchemas {
  private static final String JAVA_STRING_PROP = "avro.java.string";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<Schema, Schema> CANONICAL = new ConcurrentHashMap<>();
  private static final Map<Class<?>, Schema> PRIMITIVES =
      Map.of(
          String.class, Schema.create(Schema.Type.STRING),
          Integer.class, Schema.create(Schema.Type.INT),
          Long.class, Schema.create(Schema.Type.LONG),
          Float.class, Schema.create(Schema.Type.FLOAT),
          Double.class, Schema.create(Schema.Type.DOUBLE),
          Boolean.class, Schema.create(Schema.Type.BOOLEAN),
          byte[].class, Schema.create(Schema.Type.BYTES));

  private AvroSchemas() {}

  /**
   * The schema to write a datum with: the record's own schema, or the primitive schema of a String,
   * Integer, Long, Float, Double, Boolean, byte[] or null (as Confluent's serializer does).
   */
  public static Schema schemaOf(Object datum) {
    if (datum == null) {
      return Schema.create(Schema.Type.NULL);
    }
    if (datum instanceof GenericContainer container) {
      return container.getSchema();
    }
    if (datum instanceof ByteBuffer) {
      return PRIMITIVES.get(byte[].class);
    }
    Schema primitive = PRIMITIVES.get(datum.getClass());
    if (primitive == null) {
      throw new SerializationException(
          "Cannot serialize "
              + datum.getClass().getName()
              + " as Avro: expected a SpecificRecord, GenericRecord, GenericContainer, or one of"
              + " String, Integer, Long, Float, Double, Boolean, byte[], ByteBuffer.");
    }
    return primitive;
  }

  /** The schema without Java-only {@code avro.java.string} properties (cached). */
  public static Schema canonical(Schema schema) {
    return CANONICAL.computeIfAbsent(schema, AvroSchemas::stripJavaStringProps);
  }

  private static Schema stripJavaStringProps(Schema schema) {
    String text = schema.toString();
    if (!text.contains(JAVA_STRING_PROP)) {
      return schema;
    }
    try {
      JsonNode tree = JSON.readTree(text);
      strip(tree);
      return new Schema.Parser().parse(JSON.writeValueAsString(tree));
    } catch (java.io.IOException e) {
      throw new SerializationException("Could not re-parse schema " + schema.getFullName(), e);
    }
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.remove(JAVA_STRING_PROP);
    }
    node.forEach(AvroSchemas::strip);
  }
}
