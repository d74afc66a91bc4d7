package io.glimpse.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.glimpse.schemas.registry.server.InMemorySchemaStore;
import io.glimpse.schemas.registry.server.SchemaRegistryServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST client against the real embedded registry over HTTP on 127.0.0.1. */
class RestSchemaRegistryClientTest {
  private static final Schema V1 =
      SchemaBuilder.record("Thing").namespace("t").fields().requiredString("a").endRecord();
  private static final Schema V2 =
      SchemaBuilder.record("Thing")
          .namespace("t")
          .fields()
          .requiredString("a")
          .name("b")
          .type()
          .intType()
          .intDefault(0)
          .endRecord();
  private static final Schema BREAKING =
      SchemaBuilder.record("Thing").namespace("t").fields().requiredInt("c").endRecord();

  private SchemaRegistryServer server;
  private HttpServer stub;

  @BeforeEach
  void start() {
    server = SchemaRegistryServer.builder().setStore(new InMemorySchemaStore()).build();
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
    if (stub != null) {
      stub.stop(0);
    }
  }

  private RestSchemaRegistryClient client(List<String> urls) {
    return RestSchemaRegistryClient.builder()
        .setUrls(urls)
        .optMaxRetries(1)
        .optBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
        .build();
  }

  @Test
  void registersLooksUpAndReadsBack() {
    RestSchemaRegistryClient client = client(List.of(server.url()));

    int id1 = client.register("things-value", V1);
    int id2 = client.register("things-value", V2);

    assertThat(id2).isNotEqualTo(id1);
    assertThat(client.register("things-value", V1)).isEqualTo(id1);
    assertThat(client.getId("things-value", V2)).isEqualTo(id2);
    assertThat(client.getSchemaById(id1)).isEqualTo(V1);
    assertThat(client.getLatestSchemaMetadata("things-value"))
        .isEqualTo(new SchemaMetadata("things-value", 2, id2, V2.toString()));
    assertThat(client.getSchemaMetadata("things-value", 1).id()).isEqualTo(id1);
    assertThat(client.getAllSubjects()).containsExactly("things-value");
    assertThat(client.testCompatibility("things-value", BREAKING)).isFalse();
    assertThat(client.testCompatibility("new-subject", BREAKING)).isTrue();
    assertThat(client.getCompatibility(null)).isEqualTo(CompatibilityLevel.BACKWARD);
    client.updateCompatibility("things-value", CompatibilityLevel.NONE);
    assertThat(client.getCompatibility("things-value")).isEqualTo(CompatibilityLevel.NONE);
    assertThat(client.deleteSubject("things-value")).containsExactly(1, 2);
    assertThat(client.getAllSubjects()).isEmpty();
  }

  @Test
  void registryErrorsCarryTheirCode() {
    RestSchemaRegistryClient client = client(List.of(server.url()));
    client.register("s", V1);

    assertThatThrownBy(() -> client.getSchemaById(4242))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo(40403);
              assertThat(e.httpStatus()).isEqualTo(404);
            });
    assertThatThrownBy(() -> client.getLatestSchemaMetadata("missing"))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
    assertThatThrownBy(() -> client.register("s", BREAKING))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(409));
  }

  @Test
  void subjectsWithSpecialCharactersAreEncoded() {
    RestSchemaRegistryClient client = client(List.of(server.url()));
    int id = client.register("a topic/with odd+chars-value", V1);
    assertThat(client.getLatestSchemaMetadata("a topic/with odd+chars-value").id()).isEqualTo(id);
  }

  @Test
  void failsOverToTheNextUrlWhenOneIsDown() throws IOException {
    String dead = "http://127.0.0.1:" + freePort();
    RestSchemaRegistryClient client = client(List.of(dead, server.url()));

    int id = client.register("s", V1);

    assertThat(client.getSchemaById(id)).isEqualTo(V1);
  }

  @Test
  void everyUrlDownIsAClearError() throws IOException {
    String dead = "http://127.0.0.1:" + freePort();
    RestSchemaRegistryClient client = client(List.of(dead));

    assertThatThrownBy(() -> client.register("s", V1))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("unreachable")
        .hasMessageContaining(dead);
  }

  @Test
  void retriesServerErrorsWithBackoffAndSendsBasicAuth() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    List<String> authorizations = new CopyOnWriteArrayList<>();
    stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    stub.createContext(
        "/",
        exchange -> {
          authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
          boolean fail = calls.incrementAndGet() == 1;
          byte[] body =
              (fail ? "{\"error_code\":50001,\"message\":\"store busy\"}" : "{\"id\":7}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .add("Content-Type", "application/vnd.schemaregistry.v1+json");
          exchange.sendResponseHeaders(fail ? 500 : 200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    stub.start();
    RestSchemaRegistryClient client =
        RestSchemaRegistryClient.builder()
            .setUrls(List.of("http://127.0.0.1:" + stub.getAddress().getPort()))
            .optBasicAuth("fred:secret")
            .optMaxRetries(2)
            .optBackoff(Duration.ofMillis(10), Duration.ofMillis(20))
            .build();

    assertThat(client.register("s", V1)).isEqualTo(7);
    assertThat(calls).hasValue(2);
    assertThat(authorizations).containsOnly("Basic ZnJlZDpzZWNyZXQ=");
  }

  @Test
  void builderValidates() {
    assertThatThrownBy(() -> RestSchemaRegistryClient.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("setUrls");
    assertThatThrownBy(
            () -> RestSchemaRegistryClient.builder().setUrls(List.of("127.0.0.1:8081")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http://");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
