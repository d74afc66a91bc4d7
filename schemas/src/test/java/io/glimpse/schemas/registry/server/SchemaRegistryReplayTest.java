package io.glimpse.schemas.registry.server;

import static io.glimpse.schemas.registry.server.TestSchemas.IMAGE;
import static io.glimpse.schemas.registry.server.TestSchemas.USER_V1;
import static io.glimpse.schemas.registry.server.TestSchemas.USER_V2_WITH_DEFAULT;
import static io.glimpse.schemas.registry.server.TestSchemas.assertRegistryError;
import static io.glimpse.schemas.registry.server.TestSchemas.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.schemas.registry.CompatibilityLevel;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaRegistryReplayTest {

  @Test
  void aReplayedRegistryAnswersTheSameAndAllocatesIdsAboveTheMax() {
    InMemorySchemaStore store = new InMemorySchemaStore();
    SchemaRegistryService first = new SchemaRegistryService(store);
    int userV1 = first.register("user", USER_V1);
    int userV2 = first.register("user", USER_V2_WITH_DEFAULT);
    int image = first.register("image", IMAGE);
    first.register("copy", USER_V1);
    first.deleteSubject("image");
    first.setConfig(null, CompatibilityLevel.FULL);
    first.setConfig("user", CompatibilityLevel.NONE);

    SchemaRegistryService replayed =
        new SchemaRegistryService(new InMemorySchemaStore(store.readAll()));

    assertThat(replayed.subjects()).containsExactly("copy", "user");
    assertThat(replayed.versions("user")).containsExactly(1, 2);
    assertThat(replayed.latest("user")).isEqualTo(first.latest("user"));
    assertThat(replayed.version("user", 1).id()).isEqualTo(userV1);
    assertThat(replayed.lookup("copy", USER_V1).id()).isEqualTo(userV1);
    assertThat(replayed.schemaById(image)).isEqualTo(first.schemaById(image));
    assertRegistryError(() -> replayed.latest("image"), 404, 40401);
    assertThat(replayed.getConfig(null)).isEqualTo(CompatibilityLevel.FULL);
    assertThat(replayed.getConfig("user")).isEqualTo(CompatibilityLevel.NONE);
    assertRegistryError(() -> replayed.getConfig("copy"), 404, 40408);

    assertThat(replayed.register("image", IMAGE)).isEqualTo(image);
    assertThat(replayed.versions("image")).containsExactly(2);
    assertThat(replayed.register("user", IMAGE)).isEqualTo(image);
    assertThat(replayed.register("other", record(""))).isEqualTo(Math.max(userV2, image) + 1);
  }

  @Test
  void replaysRecordsWrittenByAConfluentRegistry() {
    String v1 = record("{\"name\":\"a\",\"type\":\"string\"}");
    String v2 = record("{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\"}");
    List<StoreRecord> log =
        List.of(
            new StoreRecord("{\"keytype\":\"NOOP\",\"magic\":0}", null),
            schema("orders-value", 1, 7, v1, ",\"md5\":\"AAAA\",\"references\":[]"),
            schema("orders-value", 2, 9, v2, ",\"schemaType\":\"AVRO\""),
            new StoreRecord(
                "{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}",
                "{\"compatibilityLevel\":\"FULL\",\"normalize\":false}"),
            config("orders-value", "{\"compatibilityLevel\":\"NONE\"}"),
            config("orders-value", null),
            schema("gone", 1, 7, v1, ""),
            new StoreRecord(schemaKey("gone", 1), null),
            new StoreRecord(
                "{\"keytype\":\"DELETE_SUBJECT\",\"subject\":\"gone\",\"magic\":0}",
                "{\"subject\":\"gone\",\"version\":1}"),
            new StoreRecord(
                "{\"keytype\":\"MODE\",\"subject\":null,\"magic\":0}", "{\"mode\":\"READWRITE\"}"),
            schema("proto", 1, 12, "syntax = \\\"proto3\\\";", ",\"schemaType\":\"PROTOBUF\""));

    SchemaRegistryService registry = new SchemaRegistryService(new InMemorySchemaStore(log));

    assertThat(registry.subjects()).containsExactly("orders-value");
    assertThat(registry.versions("orders-value")).containsExactly(1, 2);
    assertThat(registry.latest("orders-value").id()).isEqualTo(9);
    assertThat(registry.schemaById(7)).isEqualTo(SchemaRegistryServiceTest.canon(v1));
    assertThat(registry.getConfig(null)).isEqualTo(CompatibilityLevel.FULL);
    assertRegistryError(() -> registry.getConfig("orders-value"), 404, 40408);
    assertRegistryError(() -> registry.schemaById(12), 404, 40403);
    assertThat(registry.register("fresh", IMAGE)).isEqualTo(13);
    assertThat(registry.register("gone", v1)).isEqualTo(7);
  }

  @Test
  void aCorruptSchemaRecordStopsTheReplayWithAStoreError() {
    List<StoreRecord> log = List.of(new StoreRecord(schemaKey("s", 1), "not json"));

    assertRegistryError(
        () -> new SchemaRegistryService(new InMemorySchemaStore(log)),
        500,
        50001,
        e -> assertThat(e.registryMessage()).contains("expected a JSON object", "not json"));
  }

  private static String schemaKey(String subject, int version) {
    return "{\"keytype\":\"SCHEMA\",\"subject\":\""
        + subject
        + "\",\"version\":"
        + version
        + ",\"magic\":1}";
  }

  /** A Confluent schema record; {@code schema} is already escaped where it needs to be. */
  private static StoreRecord schema(
      String subject, int version, int id, String schema, String extraFields) {
    String escaped = schema.startsWith("{") ? schema.replace("\"", "\\\"") : schema;
    return new StoreRecord(
        schemaKey(subject, version),
        "{\"subject\":\""
            + subject
            + "\",\"version\":"
            + version
            + ",\"id\":"
            + id
            + ",\"schema\":\""
            + escaped
            + "\",\"deleted\":false"
            + extraFields
            + "}");
  }

  private static StoreRecord config(String subject, String value) {
    return new StoreRecord(
        "{\"keytype\":\"CONFIG\",\"subject\":\"" + subject + "\",\"magic\":0}", value);
  }
}
