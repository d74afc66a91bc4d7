package io.glimpse.schemas.registry.server;

import static io.glimpse.schemas.registry.server.SchemaRegistryServiceTest.canon;
import static io.glimpse.schemas.registry.server.TestSchemas.IMAGE;
import static io.glimpse.schemas.registry.server.TestSchemas.USER_V1;
import static io.glimpse.schemas.registry.server.TestSchemas.USER_V2_NO_DEFAULT;
import static io.glimpse.schemas.registry.server.TestSchemas.USER_V2_WITH_DEFAULT;
import static io.glimpse.schemas.registry.server.TestSchemas.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glimpse.schemas.registry.RegistryErrorCode;
import io.glimpse.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchemaRegistryServerTest {
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private SchemaRegistryServer server =
      SchemaRegistryServer.builder().setStore(new InMemorySchemaStore()).build().start();

  @AfterEach
  void closeServer() {
    server.close();
  }

  @Test
  void bindsLoopbackOnAnEphemeralPort() throws Exception {
    assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port());
    assertThat(server.port()).isPositive();

    Reply root = call("GET", "/", null);
    assertThat(root.status()).isEqualTo(200);
    assertThat(root.json()).isEqualTo(json("{}"));
  }

  @Test
  void registersLooksUpReadsAndDeletes() throws Exception {
    assertThat(call("POST", "/subjects/user/versions", schemaBody(USER_V1)).json())
        .isEqualTo(json("{'id':1}"));
    String again = "{\"schema\":" + quote(USER_V1) + ",\"schemaType\":\"AVRO\",\"references\":[]}";
    assertThat(call("POST", "/subjects/user/versions", again, "application/json").json())
        .isEqualTo(json("{'id':1}"));
    assertThat(call("POST", "/subjects/user/versions", schemaBody(USER_V2_WITH_DEFAULT)).json())
        .isEqualTo(json("{'id':2}"));

    assertThat(call("POST", "/subjects/user?deleted=false", schemaBody(USER_V1)).json())
        .isEqualTo(metadata("user", 1, 1, USER_V1));
    assertThat(call("GET", "/subjects", null).json()).isEqualTo(json("['user']"));
    assertThat(call("GET", "/subjects/user/versions", null).json()).isEqualTo(json("[1,2]"));
    assertThat(call("GET", "/subjects/user/versions/latest", null).json())
        .isEqualTo(metadata("user", 2, 2, USER_V2_WITH_DEFAULT));
    assertThat(call("GET", "/subjects/user/versions/1", null).json())
        .isEqualTo(metadata("user", 1, 1, USER_V1));
    assertThat(call("GET", "/subjects/user/versions/1/schema", null).body())
        .isEqualTo(canon(USER_V1));
    ObjectNode byId = JSON.createObjectNode().put("schema", canon(USER_V2_WITH_DEFAULT));
    assertThat(call("GET", "/schemas/ids/2", null).json()).isEqualTo(byId);

    assertThat(call("DELETE", "/subjects/user", null).json()).isEqualTo(json("[1,2]"));
    assertThat(call("GET", "/subjects", null).json()).isEqualTo(json("[]"));
    assertThat(call("GET", "/schemas/ids/1", null).status()).isEqualTo(200);
  }

  @Test
  void subjectsInPathsArePercentDecoded() throws Exception {
    String subject = "glimpse.images/value+v1";
    String encoded = "glimpse.images%2Fvalue+v1";

    assertThat(call("POST", "/subjects/" + encoded + "/versions", schemaBody(IMAGE)).status())
        .isEqualTo(200);
    assertThat(call("GET", "/subjects", null).json().get(0).asText()).isEqualTo(subject);
    assertThat(call("GET", "/subjects/" + encoded + "/versions/1", null).json())
        .isEqualTo(metadata(subject, 1, 1, IMAGE));
  }

  @Test
  void readsAndSetsCompatibilityConfig() throws Exception {
    assertThat(call("GET", "/config", null).json())
        .isEqualTo(json("{'compatibilityLevel':'BACKWARD'}"));
    assertThat(call("PUT", "/config", "{\"compatibility\":\"FULL\"}").json())
        .isEqualTo(json("{'compatibility':'FULL'}"));
    assertThat(call("GET", "/config", null).json())
        .isEqualTo(json("{'compatibilityLevel':'FULL'}"));
    assertThat(call("GET", "/config/user?defaultToGlobal=true", null).json())
        .isEqualTo(json("{'compatibilityLevel':'FULL'}"));

    assertThat(call("PUT", "/config/user", "{\"compatibility\":\"none\"}").json())
        .isEqualTo(json("{'compatibility':'NONE'}"));
    assertThat(call("GET", "/config/user", null).json())
        .isEqualTo(json("{'compatibilityLevel':'NONE'}"));
  }

  @Test
  void testsCompatibility() throws Exception {
    call("POST", "/subjects/user/versions", schemaBody(USER_V1));
    String path = "/compatibility/subjects/user/versions/";

    assertThat(call("POST", path + "latest", schemaBody(USER_V2_WITH_DEFAULT)).json())
        .isEqualTo(json("{'is_compatible':true}"));
    assertThat(call("POST", path + "1", schemaBody(USER_V2_NO_DEFAULT)).json())
        .isEqualTo(json("{'is_compatible':false}"));
    JsonNode verbose = call("POST", path + "latest?verbose=true", schemaBody(IMAGE)).json();
    assertThat(verbose.get("is_compatible").asBoolean()).isFalse();
    assertThat(verbose.get("messages").get(0).asText()).contains("NAME_MISMATCH");
  }

  @Test
  void errorsCarryConfluentStatusAndCodes() throws Exception {
    call("POST", "/subjects/user/versions", schemaBody(USER_V1));
    String compat = "/compatibility/subjects/";
    List<ErrorCase> cases =
        List.of(
            new ErrorCase("GET", "/subjects/missing/versions", null, 404, 40401),
            new ErrorCase("GET", "/subjects/missing/versions/latest", null, 404, 40401),
            new ErrorCase("POST", "/subjects/missing", schemaBody(USER_V1), 404, 40401),
            new ErrorCase("DELETE", "/subjects/missing", null, 404, 40401),
            new ErrorCase(
                "POST", compat + "missing/versions/latest", schemaBody(USER_V1), 404, 40401),
            new ErrorCase("GET", "/subjects/user/versions/9", null, 404, 40402),
            new ErrorCase("POST", compat + "user/versions/5", schemaBody(USER_V1), 404, 40402),
            new ErrorCase("GET", "/schemas/ids/99", null, 404, 40403),
            new ErrorCase("GET", "/schemas/ids/x", null, 404, 40403),
            new ErrorCase("POST", "/subjects/user", schemaBody(IMAGE), 404, 40403),
            new ErrorCase("GET", "/config/user", null, 404, 40408),
            new ErrorCase(
                "POST", "/subjects/user/versions", schemaBody("{\"type\":\"recrd\"}"), 422, 42201),
            new ErrorCase(
                "POST", "/subjects/user/versions", "{\"schemaType\":\"AVRO\"}", 422, 42201),
            new ErrorCase(
                "POST",
                "/subjects/user/versions",
                withField(USER_V1, "schemaType", "\"PROTOBUF\""),
                422,
                42201),
            new ErrorCase(
                "POST",
                "/subjects/user/versions",
                withField(USER_V1, "references", "[{\"name\":\"r\"}]"),
                422,
                42201),
            new ErrorCase("GET", "/subjects/user/versions/0", null, 422, 42202),
            new ErrorCase("GET", "/subjects/user/versions/abc", null, 422, 42202),
            new ErrorCase("POST", compat + "user/versions/-2", schemaBody(USER_V1), 422, 42202),
            new ErrorCase("PUT", "/config", "{\"compatibility\":\"SIDEWAYS\"}", 422, 42203),
            new ErrorCase("PUT", "/config/user", "{}", 422, 42203),
            new ErrorCase(
                "POST", "/subjects/user/versions", schemaBody(USER_V2_NO_DEFAULT), 409, 409),
            new ErrorCase("GET", "/nothing/here", null, 404, 404),
            new ErrorCase("GET", "/subjects/user/versions/1/schema/more", null, 404, 404),
            new ErrorCase("DELETE", "/config", null, 405, 405),
            new ErrorCase("POST", "/subjects/user/versions", "{\"schema\": ", 400, 400),
            new ErrorCase("POST", "/subjects/user/versions", "[]", 400, 400),
            new ErrorCase("POST", "/subjects/user/versions", "", 400, 400));

    for (ErrorCase c : cases) {
      Reply reply = call(c.method(), c.path(), c.body());
      assertThat(reply.status()).as("%s", c).isEqualTo(c.status());
      assertThat(reply.json().get("error_code").asInt()).as("%s", c).isEqualTo(c.code());
      assertThat(reply.json().get("message").asText()).as("%s", c).isNotBlank();
    }
  }

  @Test
  void incompatibleSchemaNamesTheProblem() throws Exception {
    call("POST", "/subjects/user/versions", schemaBody(USER_V1));

    Reply reply = call("POST", "/subjects/user/versions", schemaBody(USER_V2_NO_DEFAULT));

    assertThat(reply.status()).isEqualTo(409);
    assertThat(reply.json().get("message").asText())
        .contains("incompatible", "READER_FIELD_MISSING_DEFAULT_VALUE", "email")
        .doesNotContain("(error code");
  }

  @Test
  void wrongMethodListsTheAllowedOnes() throws Exception {
    HttpResponse<String> response = raw("DELETE", "/config", null, CONTENT_TYPE);

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).contains("GET, PUT");
  }

  @Test
  void acceptsTheBodyTypesConfluentClientsSend() throws Exception {
    for (String type :
        List.of(CONTENT_TYPE, "application/json; charset=utf-8", "application/octet-stream")) {
      assertThat(call("POST", "/subjects/user/versions", schemaBody(USER_V1), type).status())
          .as(type)
          .isEqualTo(200);
    }
    Reply plain = call("POST", "/subjects/user/versions", schemaBody(USER_V1), "text/plain");
    assertThat(plain.status()).isEqualTo(415);
    assertThat(plain.json().get("error_code").asInt()).isEqualTo(415);
  }

  @Test
  void storeFailuresAnswer500() throws Exception {
    server.close();
    server = SchemaRegistryServer.builder().setStore(new FailingStore()).build().start();

    Reply reply = call("POST", "/subjects/user/versions", schemaBody(USER_V1));

    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.json().get("error_code").asInt()).isEqualTo(50001);
    assertThat(call("GET", "/subjects", null).json()).isEqualTo(json("[]"));
  }

  @Test
  void unexpectedExceptionsAnswer500() throws Exception {
    server.close();
    SchemaStore broken =
        new FailingStore() {
          @Override
          public void append(long end, List<StoreRecord> records) {
            throw new IllegalStateException("bug");
          }
        };
    server = SchemaRegistryServer.builder().setStore(broken).build().start();

    Reply reply = call("PUT", "/config", "{\"compatibility\":\"FULL\"}");

    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.json())
        .isEqualTo(
            json(
                "{'error_code':50001,'message':'Internal server error:"
                    + " java.lang.IllegalStateException: bug'}"));
  }

  @Test
  void servesConcurrentRequests() throws Exception {
    call("PUT", "/config", "{\"compatibility\":\"NONE\"}");
    List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      String body = schemaBody(record("{\"name\":\"f" + i + "\",\"type\":\"long\"}"));
      futures.add(
          http.sendAsync(
              request("POST", "/subjects/s" + i + "/versions", body, CONTENT_TYPE),
              BodyHandlers.ofString()));
    }
    List<Integer> ids = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> f : futures) {
      ids.add(JSON.readTree(f.get().body()).get("id").asInt());
    }

    assertThat(ids)
        .containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
  }

  @Test
  void aRegistrySharingTheStoreServesWhatTheOtherRegistered() throws Exception {
    InMemorySchemaStore shared = new InMemorySchemaStore();
    server.close();
    server = SchemaRegistryServer.builder().setStore(shared).build().start();
    try (SchemaRegistryServer other =
        SchemaRegistryServer.builder()
            .setStore(shared)
            .optRefreshInterval(Duration.ofMillis(20))
            .build()
            .start()) {
      call("POST", "/subjects/user/versions", schemaBody(USER_V1));
      Reply byOther = send(other, "POST", "/subjects/image/versions", schemaBody(IMAGE));

      assertThat(byOther.json()).isEqualTo(json("{'id':2}"));
      assertThat(call("GET", "/schemas/ids/2", null).json().get("schema").asText())
          .isEqualTo(canon(IMAGE));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(send(other, "GET", "/subjects", null).json())
                      .isEqualTo(json("['image','user']")));
    }
  }

  @Test
  void closeStopsServingAndClosesTheStore() throws Exception {
    ClosableStore store = new ClosableStore();
    SchemaRegistryServer own = SchemaRegistryServer.builder().setStore(store).build().start();
    String url = own.url();

    own.close();
    own.close();

    assertThat(store.closed.get()).isTrue();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/subjects")).build();
    assertThatThrownBy(() -> HttpClient.newHttpClient().send(request, BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void builderChecksItsSettings() {
    assertThatThrownBy(() -> SchemaRegistryServer.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("setStore");
    assertThatThrownBy(
            () ->
                SchemaRegistryServer.builder()
                    .setStore(new InMemorySchemaStore())
                    .optPort(70000)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("70000");
    assertThatThrownBy(
            () ->
                SchemaRegistryServer.builder()
                    .setStore(new InMemorySchemaStore())
                    .optRefreshInterval(Duration.ofSeconds(-1))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("optRefreshInterval");
    assertThatThrownBy(() -> server.start()).isInstanceOf(IllegalStateException.class);
  }

  private record ErrorCase(String method, String path, String body, int status, int code) {}

  private record Reply(int status, String body) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  private Reply call(String method, String path, String body) throws Exception {
    return call(method, path, body, CONTENT_TYPE);
  }

  private Reply send(SchemaRegistryServer target, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(target.url() + path));
    HttpRequest request =
        body == null
            ? builder.method(method, BodyPublishers.noBody()).build()
            : builder
                .method(method, BodyPublishers.ofString(body))
                .header("Content-Type", CONTENT_TYPE)
                .build();
    HttpResponse<String> response = http.send(request, BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.body());
  }

  private Reply call(String method, String path, String body, String contentType) throws Exception {
    HttpResponse<String> response = raw(method, path, body, contentType);
    assertThat(response.headers().firstValue("Content-Type")).contains(CONTENT_TYPE);
    return new Reply(response.statusCode(), response.body());
  }

  private HttpResponse<String> raw(String method, String path, String body, String contentType)
      throws Exception {
    return http.send(request(method, path, body, contentType), BodyHandlers.ofString());
  }

  private HttpRequest request(String method, String path, String body, String contentType) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.url() + path));
    if (body == null) {
      return builder.method(method, BodyPublishers.noBody()).build();
    }
    return builder
        .method(method, BodyPublishers.ofString(body))
        .header("Content-Type", contentType)
        .build();
  }

  /** Parses JSON written with single quotes for readability. */
  private static JsonNode json(String singleQuoted) throws IOException {
    return JSON.readTree(singleQuoted.replace('\'', '"'));
  }

  private static String quote(String text) throws IOException {
    return JSON.writeValueAsString(text);
  }

  private static String schemaBody(String schema) throws IOException {
    return "{\"schema\":" + quote(schema) + "}";
  }

  private static String withField(String schema, String field, String valueJson)
      throws IOException {
    return "{\"schema\":" + quote(schema) + ",\"" + field + "\":" + valueJson + "}";
  }

  private static JsonNode metadata(String subject, int version, int id, String schema) {
    return JSON.createObjectNode()
        .put("subject", subject)
        .put("version", version)
        .put("id", id)
        .put("schema", canon(schema));
  }

  /** A store whose writes always fail, as a Kafka store does when the broker is gone. */
  private static class FailingStore implements SchemaStore {
    @Override
    public StoreRead read(long from) {
      return new StoreRead(List.of(), 0);
    }

    @Override
    public void append(long end, List<StoreRecord> records) {
      throw SchemaRegistryException.of(RegistryErrorCode.STORE_ERROR, "broker unavailable");
    }
  }

  /** An in-memory store that records being closed. */
  private static final class ClosableStore implements SchemaStore, AutoCloseable {
    private final InMemorySchemaStore records = new InMemorySchemaStore();
    private final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public StoreRead read(long from) {
      return records.read(from);
    }

    @Override
    public void append(long end, List<StoreRecord> toAppend) {
      records.append(end, toAppend);
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }
}
