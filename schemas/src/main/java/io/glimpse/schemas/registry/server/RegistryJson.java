package io.glimpse.schemas.registry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glimpse.schemas.registry.SchemaMetadata;
import io.glimpse.schemas.registry.SchemaRegistryException;
import java.io.IOException;

/** The registry's JSON: one shared mapper, request parsing and the response bodies. */
final class RegistryJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** HTTP status and error code Confluent answers for a body that is not JSON. */
  static final int BAD_REQUEST = 400;

  private RegistryJson() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write " + value.getClass().getName() + " as JSON", e);
    }
  }

  /**
   * Parses a request body that must be a JSON object.
   *
   * @throws SchemaRegistryException HTTP 400, error code 400, when it is empty or not a JSON object
   */
  static JsonNode readObject(byte[] body) {
    JsonNode node = null;
    String problem = "an empty body";
    try {
      node = body.length == 0 ? null : MAPPER.readTree(body);
      problem = node == null ? problem : "JSON of type " + node.getNodeType();
    } catch (JsonProcessingException e) {
      problem = "malformed JSON (" + e.getOriginalMessage() + ")";
    } catch (IOException e) {
      problem = "an unreadable body (" + e.getMessage() + ")";
    }
    if (node != null && node.isObject()) {
      return node;
    }
    throw new SchemaRegistryException(
        BAD_REQUEST,
        BAD_REQUEST,
        "Expected a JSON object as the request body, got "
            + problem
            + "; send for example"
            + " {\"schema\": \"<Avro schema as a JSON string>\"}");
  }

  /** {@code {"subject","version","id","schema"}}, as GET /subjects/{s}/versions/{v} answers. */
  static String metadata(SchemaMetadata m) {
    ObjectNode node = object().put("subject", m.subject()).put("version", m.version());
    return write(node.put("id", m.id()).put("schema", m.schema()));
  }

  /** {@code {"error_code": code, "message": message}}. */
  static String error(int code, String message) {
    return write(object().put("error_code", code).put("message", message));
  }
}
