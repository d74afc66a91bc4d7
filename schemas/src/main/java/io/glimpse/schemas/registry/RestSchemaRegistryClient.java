package io.glimpse.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schema registry client over Confluent's REST API. It calls the endpoints Confluent's own client
 * calls, fails over between the configured URLs, and retries transient failures (I/O errors, HTTP
 * 5xx and 429) with exponential backoff. Registry errors become {@link SchemaRegistryException}s
 * carrying the registry's error code. It caches nothing: wrap it in a {@link
 * CachedSchemaRegistryClient}.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final Logger LOG = LoggerFactory.getLogger(RestSchemaRegistryClient.class);

  private final RegistryEndpoints endpoints;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final String authorization;
  private final int maxRetries;
  private final Duration backoff;
  private final Duration maxBackoff;
  private final Duration requestTimeout;

  private RestSchemaRegistryClient(Builder b) {
    this.endpoints = new RegistryEndpoints(b.urls);
    this.http = HttpClient.newBuilder().connectTimeout(b.connectTimeout).build();
    this.authorization =
        b.userInfo == null
            ? null
            : "Basic "
                + Base64.getEncoder().encodeToString(b.userInfo.getBytes(StandardCharsets.UTF_8));
    this.maxRetries = b.maxRetries;
    this.backoff = b.backoff;
    this.maxBackoff = b.maxBackoff;
    this.requestTimeout = b.requestTimeout;
  }

  /** Starts a builder; {@link Builder#setUrls} is required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public int register(String subject, Schema schema) {
    String path = "/subjects/" + encode(subject) + "/versions";
    return call("POST", path, schemaBody(schema)).get("id").asInt();
  }

  @Override
  public int getId(String subject, Schema schema) {
    return call("POST", "/subjects/" + encode(subject), schemaBody(schema)).get("id").asInt();
  }

  @Override
  public Schema getSchemaById(int id) {
    return parse(call("GET", "/schemas/ids/" + id, null).get("schema").asText());
  }

  @Override
  public SchemaMetadata getLatestSchemaMetadata(String subject) {
    return metadata(call("GET", "/subjects/" + encode(subject) + "/versions/latest", null));
  }

  @Override
  public SchemaMetadata getSchemaMetadata(String subject, int version) {
    return metadata(call("GET", "/subjects/" + encode(subject) + "/versions/" + version, null));
  }

  @Override
  public boolean testCompatibility(String subject, Schema schema) {
    String path = "/compatibility/subjects/" + encode(subject) + "/versions/latest";
    try {
      return call("POST", path, schemaBody(schema)).get("is_compatible").asBoolean();
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == RegistryErrorCode.SUBJECT_NOT_FOUND.code()
          || e.errorCode() == RegistryErrorCode.VERSION_NOT_FOUND.code()) {
        return true; // nothing registered yet: anything is compatible
      }
      throw e;
    }
  }

  @Override
  public List<String> getAllSubjects() {
    List<String> subjects = new ArrayList<>();
    call("GET", "/subjects", null).forEach(n -> subjects.add(n.asText()));
    return subjects;
  }

  @Override
  public List<Integer> deleteSubject(String subject) {
    List<Integer> versions = new ArrayList<>();
    call("DELETE", "/subjects/" + encode(subject), null).forEach(n -> versions.add(n.asInt()));
    return versions;
  }

  @Override
  public CompatibilityLevel getCompatibility(String subject) {
    String path =
        subject == null ? "/config" : "/config/" + encode(subject) + "?defaultToGlobal=true";
    return CompatibilityLevel.parse(call("GET", path, null).get("compatibilityLevel").asText());
  }

  @Override
  public void updateCompatibility(String subject, CompatibilityLevel level) {
    String path = subject == null ? "/config" : "/config/" + encode(subject);
    call("PUT", path, toJson(Map.of("compatibility", level.name())));
  }

  private JsonNode call(String method, String path, String body) {
    SchemaRegistryException last = null;
    for (int attempt = 0; attempt <= maxRetries; attempt++) {
      if (attempt > 0) {
        pause(attempt);
      }
      // One attempt tries every URL once, starting from the last one that answered.
      for (int i = 0; i < endpoints.size(); i++) {
        String base = endpoints.current();
        try {
          return send(method, base + path, body);
        } catch (TransientFailure e) {
          LOG.debug("Registry {} failed {} {}: {}", base, method, path, e.getMessage());
          last = e.toException(base);
          endpoints.failOver(base);
        }
      }
    }
    throw last;
  }

  private JsonNode send(String method, String url, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(requestTimeout)
            .header("Accept", CONTENT_TYPE + ", application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (body != null) {
      request.header("Content-Type", CONTENT_TYPE);
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new TransientFailure(0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException(0, 0, "Interrupted calling " + url, e);
    }
    return handle(url, response);
  }

  private JsonNode handle(String url, HttpResponse<String> response) {
    int status = response.statusCode();
    JsonNode node = readJson(url, status, response.body());
    if (status >= 200 && status < 300) {
      return node;
    }
    int code = node != null && node.has("error_code") ? node.get("error_code").asInt() : status;
    String message =
        node != null && node.has("message") ? node.get("message").asText() : response.body();
    if (status >= 500 || status == 429) {
      throw new TransientFailure(status, new SchemaRegistryException(status, code, message));
    }
    throw new SchemaRegistryException(status, code, message);
  }

  private JsonNode readJson(String url, int status, String text) {
    try {
      return text == null || text.isBlank() ? null : json.readTree(text);
    } catch (IOException e) {
      if (status >= 200 && status < 300) {
        throw new SchemaRegistryException(
            status, 50001, "Registry at " + url + " answered with a body that is not JSON", e);
      }
      return null;
    }
  }

  private void pause(int attempt) {
    long millis = Math.min(maxBackoff.toMillis(), backoff.toMillis() << Math.min(attempt - 1, 20));
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException(0, 0, "Interrupted while retrying the registry", e);
    }
  }

  private String schemaBody(Schema schema) {
    return toJson(Map.of("schema", schema.toString(), "schemaType", "AVRO"));
  }

  private String toJson(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot encode request body", e);
    }
  }

  private static SchemaMetadata metadata(JsonNode node) {
    return new SchemaMetadata(
        node.get("subject").asText(),
        node.get("version").asInt(),
        node.get("id").asInt(),
        node.get("schema").asText());
  }

  private static Schema parse(String text) {
    return new Schema.Parser().parse(text);
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** An I/O error or retriable status; becomes a SchemaRegistryException if retries run out. */
  private static final class TransientFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    TransientFailure(int status, Throwable cause) {
      super(cause.getMessage(), cause);
      this.status = status;
    }

    SchemaRegistryException toException(String url) {
      if (getCause() instanceof SchemaRegistryException e) {
        return e;
      }
      return new SchemaRegistryException(
          status,
          RegistryErrorCode.UNREACHABLE.code(),
          "Schema registry at "
              + url
              + " is unreachable ("
              + getMessage()
              + "); check "
              + "schema.registry.url and that the registry is running",
          getCause());
    }
  }

  /** Builder in DJL's words: {@code setX} required, {@code optX} optional. */
  public static final class Builder {
    private List<String> urls;
    private String userInfo;
    private int maxRetries = 3;
    private Duration backoff = Duration.ofMillis(200);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(10);

    private Builder() {}

    /** The registry base URLs, tried in order; user info in a URL is removed from requests. */
    public Builder setUrls(List<String> urls) {
      this.urls = List.copyOf(urls);
      return this;
    }

    /** HTTP basic authentication as {@code user:password}. */
    public Builder optBasicAuth(String userInfo) {
      this.userInfo = userInfo;
      return this;
    }

    /** Retries of transient failures after the first attempt (each retry tries every URL). */
    public Builder optMaxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    /** First retry backoff (doubling per retry) and its cap. */
    public Builder optBackoff(Duration first, Duration max) {
      this.backoff = first;
      this.maxBackoff = max;
      return this;
    }

    /** Timeout of one HTTP request. */
    public Builder optRequestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    /** Timeout to open a connection. */
    public Builder optConnectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * Validates and builds the client.
     *
     * @throws IllegalArgumentException when no URL is set, a URL is not http(s), or a number is
     *     negative
     */
    public RestSchemaRegistryClient build() {
      if (urls == null || urls.isEmpty()) {
        throw new IllegalArgumentException("setUrls: at least one registry URL is required");
      }
      for (String url : urls) {
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
          throw new IllegalArgumentException(
              "Registry URL '" + url + "' must start with http:// or https://");
        }
      }
      if (maxRetries < 0 || backoff.isNegative() || maxBackoff.isNegative()) {
        throw new IllegalArgumentException("Retries and backoffs must not be negative");
      }
      if (userInfo == null) {
        userInfo = URI.create(urls.get(0)).getUserInfo();
      }
      return new RestSchemaRegistryClient(this);
    }
  }
}
