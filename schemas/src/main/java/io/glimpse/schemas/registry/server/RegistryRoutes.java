package io.glimpse.schemas.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glimpse.schemas.registry.CompatibilityLevel;
import io.glimpse.schemas.registry.RegistryErrorCode;
import io.glimpse.schemas.registry.SchemaRegistryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The REST endpoints as a table: method and path template ({@code *} matches one decoded path
 * segment) mapped onto {@link SchemaRegistryService} calls. Answers 404 for an unknown path and 405
 * for a known path with another method.
 */
final class RegistryRoutes {

  /** A request after routing: path parameters in template order, query parameters, raw body. */
  record Request(List<String> params, Map<String, String> query, byte[] body) {
    String param(int index) {
      return params.get(index);
    }

    boolean flag(String name) {
      return Boolean.parseBoolean(query.get(name));
    }
  }

  /** The answer: HTTP status, JSON body and extra headers. */
  record Reply(int status, String body, Map<String, String> headers) {
    static Reply ok(String body) {
      return new Reply(200, body, Map.of());
    }

    static Reply error(int status, int code, String message) {
      return new Reply(status, RegistryJson.error(code, message), Map.of());
    }
  }

  /** One endpoint's work. */
  @FunctionalInterface
  interface Action {
    Reply handle(Request request);
  }

  private record Route(String method, List<String> template, Action action) {}

  private final SchemaRegistryService service;
  private final List<Route> routes = new ArrayList<>();

  RegistryRoutes(SchemaRegistryService service) {
    this.service = service;
    add("GET", "", r -> Reply.ok("{}"));
    add("GET", "subjects", r -> json(service.subjects()));
    add("POST", "subjects/*/versions", this::register);
    add("GET", "subjects/*/versions", r -> json(service.versions(r.param(0))));
    add("GET", "subjects/*/versions/*", this::version);
    add("GET", "subjects/*/versions/*/schema", this::rawSchema);
    add("POST", "subjects/*", this::lookup);
    add("DELETE", "subjects/*", r -> json(service.deleteSubject(r.param(0))));
    add("GET", "schemas/ids/*", this::schemaById);
    add("GET", "config", r -> level(service.getConfig(null)));
    add("PUT", "config", r -> setLevel(null, r));
    add("GET", "config/*", r -> level(service.getConfig(r.param(0), r.flag("defaultToGlobal"))));
    add("PUT", "config/*", r -> setLevel(r.param(0), r));
    add("POST", "compatibility/subjects/*/versions/*", this::compatibility);
  }

  /** Routes a request whose path is already split into decoded segments. */
  Reply dispatch(String method, List<String> path, Map<String, String> query, byte[] body) {
    Set<String> allowed = new TreeSet<>();
    for (Route route : routes) {
      List<String> params = match(route.template(), path);
      if (params != null && route.method().equals(method)) {
        return route.action().handle(new Request(params, query, body));
      } else if (params != null) {
        allowed.add(route.method());
      }
    }
    String where = "/" + String.join("/", path);
    if (allowed.isEmpty()) {
      return Reply.error(404, 404, "HTTP 404 Not Found: no endpoint at " + where);
    }
    String message = "HTTP 405 Method Not Allowed: " + where + " accepts " + allowed;
    return new Reply(
        405, RegistryJson.error(405, message), Map.of("Allow", String.join(", ", allowed)));
  }

  private void add(String method, String template, Action action) {
    List<String> segments = template.isEmpty() ? List.of() : List.of(template.split("/"));
    routes.add(new Route(method, segments, action));
  }

  private static List<String> match(List<String> template, List<String> path) {
    if (template.size() != path.size()) {
      return null;
    }
    List<String> params = new ArrayList<>();
    for (int i = 0; i < template.size(); i++) {
      if (template.get(i).equals("*")) {
        params.add(path.get(i));
      } else if (!template.get(i).equals(path.get(i))) {
        return null;
      }
    }
    return params;
  }

  private Reply register(Request r) {
    int id = service.register(r.param(0), schemaText(r));
    return Reply.ok(RegistryJson.write(RegistryJson.object().put("id", id)));
  }

  private Reply lookup(Request r) {
    return Reply.ok(RegistryJson.metadata(service.lookup(r.param(0), schemaText(r))));
  }

  private Reply version(Request r) {
    return Reply.ok(RegistryJson.metadata(service.version(r.param(0), r.param(1))));
  }

  private Reply rawSchema(Request r) {
    return Reply.ok(service.version(r.param(0), r.param(1)).schema());
  }

  private Reply schemaById(Request r) {
    int id;
    try {
      id = Integer.parseInt(r.param(0));
    } catch (NumberFormatException e) {
      throw SchemaRegistryException.of(
          RegistryErrorCode.SCHEMA_NOT_FOUND,
          "Schema id '" + r.param(0) + "' not found; schema ids are positive integers");
    }
    String schema = service.schemaById(id);
    return Reply.ok(RegistryJson.write(RegistryJson.object().put("schema", schema)));
  }

  private Reply compatibility(Request r) {
    List<String> problems = service.compatibilityProblems(r.param(0), r.param(1), schemaText(r));
    ObjectNode body = RegistryJson.object().put("is_compatible", problems.isEmpty());
    if (r.flag("verbose")) {
      ArrayNode messages = body.putArray("messages");
      problems.forEach(messages::add);
    }
    return Reply.ok(RegistryJson.write(body));
  }

  private Reply level(CompatibilityLevel level) {
    return Reply.ok(
        RegistryJson.write(RegistryJson.object().put("compatibilityLevel", level.name())));
  }

  private Reply setLevel(String subject, Request r) {
    JsonNode body = RegistryJson.readObject(r.body());
    JsonNode given = body.hasNonNull("compatibility") ? body.get("compatibility") : null;
    given = given == null ? body.get("compatibilityLevel") : given;
    CompatibilityLevel level =
        CompatibilityLevel.parse(given != null && given.isTextual() ? given.asText() : null);
    service.setConfig(subject, level);
    return Reply.ok(RegistryJson.write(RegistryJson.object().put("compatibility", level.name())));
  }

  private static Reply json(Object value) {
    return Reply.ok(RegistryJson.write(value));
  }

  /**
   * The schema of a {@code {"schema": "...", "schemaType": "AVRO", "references": []}} body.
   *
   * @throws SchemaRegistryException 42201 for a missing schema, another schema type or references
   */
  private static String schemaText(Request r) {
    JsonNode body = RegistryJson.readObject(r.body());
    String type = body.path("schemaType").asText("AVRO");
    if (!type.equalsIgnoreCase("AVRO")) {
      throw invalid("schemaType '" + type + "' is not supported; only AVRO is supported");
    }
    JsonNode references = body.path("references");
    if (!references.isMissingNode() && !references.isNull() && !isEmptyArray(references)) {
      throw invalid("schema references are not supported; send a self-contained Avro schema");
    }
    JsonNode schema = body.get("schema");
    if (schema == null || !schema.isTextual()) {
      throw invalid(
          "the body has no \"schema\" string; expected {\"schema\": \"<Avro schema JSON as a"
              + " string>\"}");
    }
    return schema.asText();
  }

  private static boolean isEmptyArray(JsonNode node) {
    return node.isArray() && node.isEmpty();
  }

  private static SchemaRegistryException invalid(String message) {
    return SchemaRegistryException.of(
        RegistryErrorCode.INVALID_SCHEMA, "Invalid schema: " + message);
  }
}
