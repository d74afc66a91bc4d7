package io.glimpse.schemas.registry;

import io.glimpse.schemas.registry.server.InMemorySchemaStore;
import io.glimpse.schemas.registry.server.SchemaRegistryService;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A {@link SchemaRegistryClient} for {@code mock://<scope>} URLs: the real registry logic ({@link
 * SchemaRegistryService}) over an in-memory store, without HTTP. It answers exactly as the embedded
 * server does, error codes included (for example 40401 from {@link #testCompatibility} on an
 * unknown subject; like the REST client, {@link #getCompatibility} answers a subject without its
 * own level with the global level).
 *
 * <p>Registries with the same scope name are one instance, shared across the JVM until {@link
 * #dropScope} — as Confluent's {@code mock://} scopes are. Thread-safe.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {
  private static final Map<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

  private final SchemaRegistryService service =
      new SchemaRegistryService(new InMemorySchemaStore());

  /** A fresh registry of its own, not shared through any scope. */
  public InMemorySchemaRegistry() {}

  /** The registry of a scope ({@code mock://<scope>}), created on first use. */
  public static InMemorySchemaRegistry forScope(String scope) {
    return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistry());
  }

  /** Forgets a scope: the next {@link #forScope} of that name starts empty. */
  public static void dropScope(String scope) {
    SCOPES.remove(scope);
  }

  @Override
  public int register(String subject, Schema schema) {
    return service.register(subject, schema.toString());
  }

  @Override
  public int getId(String subject, Schema schema) {
    return service.lookup(subject, schema.toString()).id();
  }

  @Override
  public Schema getSchemaById(int id) {
    return new Schema.Parser().parse(service.schemaById(id));
  }

  @Override
  public SchemaMetadata getLatestSchemaMetadata(String subject) {
    return service.latest(subject);
  }

  @Override
  public SchemaMetadata getSchemaMetadata(String subject, int version) {
    return service.version(subject, version);
  }

  @Override
  public boolean testCompatibility(String subject, Schema schema) {
    return service.testCompatibility(subject, "latest", schema.toString());
  }

  @Override
  public List<String> getAllSubjects() {
    return service.subjects();
  }

  @Override
  public List<Integer> deleteSubject(String subject) {
    return service.deleteSubject(subject);
  }

  @Override
  public CompatibilityLevel getCompatibility(String subject) {
    return subject == null ? service.getConfig(null) : service.getConfig(subject, true);
  }

  @Override
  public void updateCompatibility(String subject, CompatibilityLevel level) {
    service.setConfig(subject, level);
  }
}
