package io.glimpse.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryTest {
  private static final Schema V1 =
      SchemaBuilder.record("User").namespace("t").fields().requiredString("name").endRecord();
  private static final Schema V2 =
      SchemaBuilder.record("User")
          .namespace("t")
          .fields()
          .requiredString("name")
          .name("age")
          .type()
          .intType()
          .intDefault(0)
          .endRecord();

  @Test
  void scopesAreSharedUntilDropped() {
    String scope = "scopes-" + System.nanoTime();
    InMemorySchemaRegistry registry = InMemorySchemaRegistry.forScope(scope);
    registry.register("user", V1);

    assertThat(InMemorySchemaRegistry.forScope(scope)).isSameAs(registry);
    assertThat(new InMemorySchemaRegistry().getAllSubjects()).isEmpty();
    InMemorySchemaRegistry.dropScope(scope);
    assertThat(InMemorySchemaRegistry.forScope(scope).getAllSubjects()).isEmpty();
    InMemorySchemaRegistry.dropScope(scope);
  }

  @Test
  void mapsEveryClientMethodOntoTheRegistry() {
    SchemaRegistryClient registry = new InMemorySchemaRegistry();

    int id1 = registry.register("user", V1);
    int id2 = registry.register("user", V2);

    assertThat(registry.getId("user", V1)).isEqualTo(id1);
    assertThat(registry.getSchemaById(id2)).isEqualTo(V2);
    assertThat(registry.getLatestSchemaMetadata("user"))
        .isEqualTo(new SchemaMetadata("user", 2, id2, V2.toString()));
    assertThat(registry.getSchemaMetadata("user", 1).id()).isEqualTo(id1);
    assertThat(registry.testCompatibility("user", V1)).isTrue();
    assertThat(registry.getAllSubjects()).containsExactly("user");
    assertThat(registry.getCompatibility(null)).isEqualTo(CompatibilityLevel.BACKWARD);
    registry.updateCompatibility("user", CompatibilityLevel.FULL);
    assertThat(registry.getCompatibility("user")).isEqualTo(CompatibilityLevel.FULL);
    assertThat(registry.deleteSubject("user")).containsExactly(1, 2);
    assertThatThrownBy(() -> registry.getLatestSchemaMetadata("user"))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
  }
}
