package io.glimpse.schemas.registry.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.glimpse.schemas.registry.RegistryErrorCode;
import io.glimpse.schemas.registry.SchemaRegistryException;
import io.glimpse.schemas.registry.server.RegistryRoutes.Reply;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns HTTP exchanges into {@link RegistryRoutes} calls and their replies (or exceptions) into
 * Confluent-style responses: every body JSON with Content-Type {@value #CONTENT_TYPE}, every error
 * {@code {"error_code": n, "message": "..."}}.
 */
final class RegistryHttpHandler implements HttpHandler {
  /** The content type of every response, as Confluent's registry sends it. */
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private static final Set<String> BODY_TYPES =
      Set.of(
          CONTENT_TYPE,
          "application/vnd.schemaregistry+json",
          "application/json",
          "application/octet-stream");
  private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);

  private final RegistryRoutes routes;

  RegistryHttpHandler(RegistryRoutes routes) {
    this.routes = routes;
  }

  @Override
  public void handle(HttpExchange exchange) {
    String method = exchange.getRequestMethod();
    URI uri = exchange.getRequestURI();
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      send(exchange, answer(exchange, body));
    } catch (IOException e) {
      LOG.warn("Could not answer {} {}: {}", method, uri, e.toString());
    } finally {
      exchange.close();
    }
  }

  private Reply answer(HttpExchange exchange, byte[] body) {
    String method = exchange.getRequestMethod();
    URI uri = exchange.getRequestURI();
    try {
      checkContentType(exchange.getRequestHeaders().getFirst("Content-Type"));
      return routes.dispatch(method, segments(uri.getRawPath()), query(uri.getRawQuery()), body);
    } catch (SchemaRegistryException e) {
      if (e.httpStatus() >= 500) {
        LOG.warn("{} {} failed: {}", method, uri, e.getMessage(), e);
      } else {
        LOG.debug("{} {} refused: {}", method, uri, e.getMessage());
      }
      return Reply.error(e.httpStatus(), e.errorCode(), e.registryMessage());
    } catch (RuntimeException e) {
      LOG.error("{} {} failed unexpectedly", method, uri, e);
      RegistryErrorCode code = RegistryErrorCode.STORE_ERROR;
      return Reply.error(code.httpStatus(), code.code(), "Internal server error: " + e);
    }
  }

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    reply.headers().forEach(exchange.getResponseHeaders()::set);
    exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void checkContentType(String header) {
    if (header == null || header.isBlank()) {
      return;
    }
    String type = header.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!BODY_TYPES.contains(type)) {
      throw new SchemaRegistryException(
          415,
          415,
          "HTTP 415 Unsupported Media Type: got '" + header + "', send one of " + BODY_TYPES);
    }
  }

  /** Splits a raw path into percent-decoded segments; an encoded slash stays in its segment. */
  static List<String> segments(String rawPath) {
    String trimmed = rawPath == null ? "" : rawPath.replaceAll("^/+|/+$", "");
    List<String> segments = new ArrayList<>();
    if (!trimmed.isEmpty()) {
      for (String segment : trimmed.split("/", -1)) {
        segments.add(decode(segment));
      }
    }
    return segments;
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> query = new HashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        String[] kv = pair.split("=", 2);
        query.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
      }
    }
    return query;
  }

  /** Percent-decodes; unlike form decoding a '+' stays a plus sign. */
  private static String decode(String text) {
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new SchemaRegistryException(
          RegistryJson.BAD_REQUEST,
          RegistryJson.BAD_REQUEST,
          "Malformed percent-encoding in '" + text + "'; encode '%' as %25");
    }
  }
}
