package io.glimpse.schemas.registry.server;

import static io.glimpse.schemas.registry.server.TestSchemas.IMAGE;
import static io.glimpse.schemas.registry.server.TestSchemas.USER_V1;
import static io.glimpse.schemas.registry.server.TestSchemas.USER_V2_NO_DEFAULT;
import static io.glimpse.schemas.registry.server.TestSchemas.USER_V2_WITH_DEFAULT;
import static io.glimpse.schemas.registry.server.TestSchemas.assertRegistryError;
import static io.glimpse.schemas.registry.server.TestSchemas.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.schemas.registry.CompatibilityLevel;
import io.glimpse.schemas.registry.RegistryErrorCode;
import io.glimpse.schemas.registry.SchemaMetadata;
import io.glimpse.schemas.registry.SchemaRegistryException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class SchemaRegistryServiceTest {
  private final InMemorySchemaStore store = new InMemorySchemaStore();
  private final SchemaRegistryService registry = new SchemaRegistryService(store);

  @Test
  void idsAreGlobalUniqueAndIncreasing() {
    int a = registry.register("a", USER_V1);
    int b = registry.register("b", IMAGE);
    int c = registry.register("a", USER_V2_WITH_DEFAULT);

    assertThat(List.of(a, b, c)).containsExactly(1, 2, 3);
    assertThat(registry.versions("a")).containsExactly(1, 2);
  }

  @Test
  void registeringTheSameSchemaAgainReturnsItsId() {
    int first = registry.register("a", USER_V1);
    String reformatted =
        "{ \"namespace\": \"t\", \"name\": \"User\", \"type\": \"record\",\n"
            + "  \"fields\": [ { \"type\": \"string\", \"name\": \"name\" } ] }";

    assertThat(registry.register("a", USER_V1)).isEqualTo(first);
    assertThat(registry.register("a", reformatted)).isEqualTo(first);
    assertThat(registry.versions("a")).containsExactly(1);
  }

  @Test
  void theSameSchemaUnderAnotherSubjectReusesItsId() {
    int id = registry.register("a", USER_V1);

    assertThat(registry.register("b", USER_V1)).isEqualTo(id);
    assertThat(registry.lookup("b", USER_V1))
        .isEqualTo(new SchemaMetadata("b", 1, id, canon(USER_V1)));
    assertThat(registry.subjects()).containsExactly("a", "b");
  }

  @Test
  void avroJavaStringPropertyMakesADifferentSchema() {
    String withProp =
        USER_V1.replace(
            "\"type\":\"string\"",
            "\"type\":{\"type\":\"string\"," + "\"avro.java.string\":\"String\"}");

    int plain = registry.register("a", USER_V1);
    int generated = registry.register("b", withProp);

    assertThat(generated).isNotEqualTo(plain);
    assertThat(registry.schemaById(generated)).contains("avro.java.string");
  }

  @Test
  void backwardAcceptsANewFieldWithDefaultAndRefusesOneWithout() {
    registry.register("a", USER_V1);

    assertThat(registry.register("a", USER_V2_WITH_DEFAULT)).isEqualTo(2);
    assertRegistryError(
        () -> registry.register("a", USER_V2_NO_DEFAULT),
        409,
        409,
        e ->
            assertThat(e.registryMessage())
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE", "email", "BACKWARD"));
    assertThat(registry.versions("a")).containsExactly(1, 2);
  }

  @Test
  void forwardChecksThatTheOldSchemaReadsNewData() {
    registry.setConfig("a", CompatibilityLevel.FORWARD);
    registry.register("a", USER_V1);

    assertThat(registry.testCompatibility("a", "latest", USER_V2_NO_DEFAULT)).isTrue();
    registry.register("a", USER_V2_NO_DEFAULT);
    // the latest version has "email" without default, so it cannot read data lacking it
    assertRegistryError(
        () -> registry.register("a", USER_V2_WITH_DEFAULT),
        409,
        409,
        e -> assertThat(e.registryMessage()).contains("version 2 cannot read", "email"));
  }

  @Test
  void fullNeedsBothDirections() {
    registry.setConfig(null, CompatibilityLevel.FULL);
    registry.register("a", USER_V1);

    assertThat(registry.testCompatibility("a", "latest", USER_V2_WITH_DEFAULT)).isTrue();
    assertThat(registry.testCompatibility("a", "latest", USER_V2_NO_DEFAULT)).isFalse();
  }

  @Test
  void transitiveLevelsCheckEveryVersionNotOnlyTheLatest() {
    String v1 = record("{\"name\":\"x\",\"type\":\"string\"}");
    String v2 = record("");
    String v3 = record("{\"name\":\"x\",\"type\":\"int\",\"default\":0}");
    registry.register("plain", v1);
    registry.register("plain", v2);
    registry.setConfig("strict", CompatibilityLevel.BACKWARD_TRANSITIVE);
    registry.register("strict", v1);
    registry.register("strict", v2);

    assertThat(registry.register("plain", v3)).isPositive();
    assertRegistryError(
        () -> registry.register("strict", v3),
        409,
        409,
        e -> assertThat(e.registryMessage()).contains("version 1", "TYPE_MISMATCH"));
  }

  @Test
  void noneAcceptsAnything() {
    registry.setConfig("a", CompatibilityLevel.NONE);
    registry.register("a", USER_V1);

    assertThat(registry.register("a", IMAGE)).isEqualTo(2);
  }

  @Test
  void compatibilityCanBeTestedAgainstOneVersion() {
    registry.setConfig("a", CompatibilityLevel.NONE);
    registry.register("a", USER_V1);
    registry.register("a", IMAGE);
    registry.setConfig("a", CompatibilityLevel.BACKWARD);

    assertThat(registry.testCompatibility("a", "1", USER_V2_WITH_DEFAULT)).isTrue();
    assertThat(registry.testCompatibility("a", "latest", USER_V2_WITH_DEFAULT)).isFalse();
    assertThat(registry.compatibilityProblems("a", "2", USER_V2_WITH_DEFAULT))
        .anySatisfy(p -> assertThat(p).contains("version 2", "NAME_MISMATCH"));
    assertRegistryError(() -> registry.testCompatibility("none", "latest", USER_V1), 404, 40401);
    assertRegistryError(() -> registry.testCompatibility("a", "7", USER_V1), 404, 40402);
    assertRegistryError(() -> registry.testCompatibility("a", "0", USER_V1), 422, 42202);
  }

  @Test
  void softDeleteHidesTheSubjectAndKeepsIdsAndVersionNumbers() {
    int id1 = registry.register("a", USER_V1);
    int id2 = registry.register("a", USER_V2_WITH_DEFAULT);

    assertThat(registry.deleteSubject("a")).containsExactly(1, 2);
    assertThat(registry.subjects()).isEmpty();
    assertRegistryError(() -> registry.latest("a"), 404, 40401);
    assertRegistryError(() -> registry.versions("a"), 404, 40401);
    assertRegistryError(() -> registry.deleteSubject("a"), 404, 40401);
    assertThat(registry.schemaById(id1)).isEqualTo(canon(USER_V1));

    assertThat(registry.register("a", USER_V2_WITH_DEFAULT)).isEqualTo(id2);
    assertThat(registry.latest("a"))
        .isEqualTo(new SchemaMetadata("a", 3, id2, canon(USER_V2_WITH_DEFAULT)));
    assertThat(registry.versions("a")).containsExactly(3);
    assertThat(registry.register("b", IMAGE)).isEqualTo(id2 + 1);
  }

  @Test
  void deletedVersionsAreNotCheckedForCompatibility() {
    registry.register("a", USER_V1);
    registry.deleteSubject("a");

    assertThat(registry.register("a", IMAGE)).isEqualTo(2);
  }

  @Test
  void subjectLevelConfigIs40408UnlessDefaultToGlobal() {
    assertThat(registry.getConfig(null)).isEqualTo(CompatibilityLevel.BACKWARD);
    assertRegistryError(() -> registry.getConfig("a"), 404, 40408);
    assertThat(registry.getConfig("a", true)).isEqualTo(CompatibilityLevel.BACKWARD);

    registry.setConfig("a", CompatibilityLevel.FULL_TRANSITIVE);
    registry.setConfig(null, CompatibilityLevel.NONE);

    assertThat(registry.getConfig("a")).isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
    assertThat(registry.getConfig("b", true)).isEqualTo(CompatibilityLevel.NONE);
  }

  @Test
  void readsAnswerConfluentErrorCodes() {
    registry.register("a", USER_V1);

    assertRegistryError(() -> registry.register("a", "{\"type\":\"recrd\"}"), 422, 42201);
    assertRegistryError(() -> registry.register("a", ""), 422, 42201);
    assertRegistryError(() -> registry.version("a", "abc"), 422, 42202);
    assertRegistryError(() -> registry.version("a", 0), 422, 42202);
    assertRegistryError(() -> registry.version("a", "2"), 404, 40402);
    assertRegistryError(() -> registry.version("b", "1"), 404, 40401);
    assertRegistryError(() -> registry.schemaById(99), 404, 40403);
    assertRegistryError(() -> registry.lookup("a", IMAGE), 404, 40403);
    assertRegistryError(() -> registry.lookup("b", USER_V1), 404, 40401);
    assertThat(registry.version("a", "-1").version()).isEqualTo(1);
    assertThat(registry.version("a", "latest")).isEqualTo(registry.version("a", 1));
  }

  @Test
  void aFailedStoreWriteChangesNothing() {
    AtomicBoolean failing = new AtomicBoolean(true);
    InMemorySchemaStore records = new InMemorySchemaStore();
    SchemaStore flaky =
        new SchemaStore() {
          @Override
          public StoreRead read(long from) {
            return records.read(from);
          }

          @Override
          public void append(long end, List<StoreRecord> toAppend) {
            if (failing.get()) {
              throw SchemaRegistryException.of(RegistryErrorCode.OPERATION_TIMEOUT, "test");
            }
            records.append(end, toAppend);
          }
        };
    SchemaRegistryService service = new SchemaRegistryService(flaky);

    assertRegistryError(() -> service.register("a", USER_V1), 500, 50002);
    assertThat(service.subjects()).isEmpty();
    failing.set(false);
    assertThat(service.register("a", USER_V1)).isEqualTo(2); // 1 is burned: it may still land
    assertThat(service.latest("a").version()).isEqualTo(1);
  }

  @Test
  void aTimedOutWriteThatLandsLaterNeverSharesItsId() {
    InMemorySchemaStore records = new InMemorySchemaStore();
    List<StoreRecord> late = new ArrayList<>();
    SchemaStore slow =
        new SchemaStore() {
          @Override
          public StoreRead read(long from) {
            return records.read(from);
          }

          @Override
          public void append(long end, List<StoreRecord> toAppend) {
            if (late.isEmpty()) { // the first write is acknowledged too late, then lands
              late.addAll(toAppend);
              throw SchemaRegistryException.of(RegistryErrorCode.OPERATION_TIMEOUT, "no ack");
            }
            records.append(end, toAppend);
          }
        };
    SchemaRegistryService service = new SchemaRegistryService(slow);

    assertRegistryError(() -> service.register("a", USER_V1), 500, 50002);
    int image = service.register("b", IMAGE);
    records.append(records.read(0).end(), late);

    assertThat(image).isEqualTo(2);
    SchemaRegistryService replayed =
        new SchemaRegistryService(new InMemorySchemaStore(records.readAll()));
    assertThat(replayed.schemaById(image)).isEqualTo(canon(IMAGE));
    assertThat(replayed.schemaById(1)).isEqualTo(canon(USER_V1));
    assertThat(service.register("c", USER_V1)).isEqualTo(1); // read before the write: known id
  }

  @Test
  void twoServicesOnOneStoreNeverShareAnIdAndAgreeOnEveryOne() {
    SchemaRegistryService other = new SchemaRegistryService(store);
    registry.setConfig(null, CompatibilityLevel.NONE);

    int a = registry.register("a", USER_V1);
    int b = other.register("b", IMAGE);
    int c = registry.register("shared", record("{\"name\":\"x\",\"type\":\"int\"}"));
    int d = other.register("shared", record("{\"name\":\"y\",\"type\":\"int\"}"));

    assertThat(List.of(a, b, c, d)).containsExactly(1, 2, 3, 4);
    assertThat(other.versions("shared")).containsExactly(1, 2);
    assertThat(registry.schemaById(d)).isEqualTo(other.schemaById(d)); // a miss reads the store
    assertThat(registry.getConfig(null)).isEqualTo(CompatibilityLevel.NONE);
    registry.refresh();
    assertThat(registry.latest("shared").id()).isEqualTo(d);
  }

  @Test
  void concurrentServicesOnOneStoreRetryInsteadOfSharingIds() throws Exception {
    SchemaRegistryService other = new SchemaRegistryService(store);
    registry.setConfig(null, CompatibilityLevel.NONE);
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      SchemaRegistryService target = i % 2 == 0 ? registry : other;
      String schema = record("{\"name\":\"f" + i + "\",\"type\":\"int\"}");
      String subject = "s" + (i % 3);
      tasks.add(() -> target.register(subject, schema));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Integer> ids = new ArrayList<>();
    try {
      for (Future<Integer> f : pool.invokeAll(tasks)) {
        ids.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(ids).doesNotHaveDuplicates().hasSize(24);
    SchemaRegistryService replayed =
        new SchemaRegistryService(new InMemorySchemaStore(store.readAll()));
    for (int i = 0; i < 24; i++) {
      String schema = record("{\"name\":\"f" + i + "\",\"type\":\"int\"}");
      assertThat(replayed.schemaById(ids.get(i))).isEqualTo(canon(schema));
    }
  }

  @Test
  void concurrentRegistrationsGetDistinctIds() throws Exception {
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String schema = record("{\"name\":\"f" + i + "\",\"type\":\"int\"}");
      String subject = "s" + (i % 4);
      tasks.add(() -> registry.register(subject, schema.replace("\"R\"", "\"R" + subject + "\"")));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Integer> ids = new ArrayList<>();
    try {
      registry.setConfig(null, CompatibilityLevel.NONE);
      for (Future<Integer> f : pool.invokeAll(tasks)) {
        ids.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(ids)
        .doesNotHaveDuplicates()
        .hasSize(40)
        .allSatisfy(id -> assertThat(id).isBetween(1, 40));
    assertThat(registry.versions("s0")).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
  }

  @Test
  void writesConfluentSchemasTopicRecords() {
    registry.register("a", USER_V1);
    registry.setConfig(null, CompatibilityLevel.FULL);
    registry.setConfig("a", CompatibilityLevel.NONE);
    registry.deleteSubject("a");

    String schema = canon(USER_V1).replace("\"", "\\\"");
    assertThat(store.readAll())
        .containsExactly(
            new StoreRecord(
                "{\"keytype\":\"SCHEMA\",\"subject\":\"a\",\"version\":1,\"magic\":1}",
                "{\"subject\":\"a\",\"version\":1,\"id\":1,\"schema\":\""
                    + schema
                    + "\",\"deleted\":false}"),
            new StoreRecord(
                "{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}",
                "{\"compatibilityLevel\":\"FULL\"}"),
            new StoreRecord(
                "{\"keytype\":\"CONFIG\",\"subject\":\"a\",\"magic\":0}",
                "{\"compatibilityLevel\":\"NONE\"}"),
            new StoreRecord(
                "{\"keytype\":\"SCHEMA\",\"subject\":\"a\",\"version\":1,\"magic\":1}",
                "{\"subject\":\"a\",\"version\":1,\"id\":1,\"schema\":\""
                    + schema
                    + "\",\"deleted\":true}"));
  }

  static String canon(String schema) {
    return new Schema.Parser().parse(schema).toString();
  }
}
