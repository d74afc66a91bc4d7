package io.glimpse.schemas.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import org.apache.avro.Schema;

/**
 * Caches what never changes in a registry: schema ids both ways ({@code (subject, schema) → id} and
 * {@code id → schema}). The latest version of a subject is cached only for a short time, so a
 * producer using {@code use.latest.version} sees a new version without restarting. Everything else
 * passes through to the wrapped client.
 */
public final class CachedSchemaRegistryClient implements SchemaRegistryClient {
  private final SchemaRegistryClient delegate;
  private final Duration latestTtl;
  private final Clock clock;
  private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();
  private final Map<String, Latest> latest = new ConcurrentHashMap<>();

  private record SubjectSchema(String subject, Schema schema) {}

  private record Latest(SchemaMetadata metadata, Instant fetched) {}

  /** Wraps a client, caching the latest version of each subject for 30 seconds. */
  public CachedSchemaRegistryClient(SchemaRegistryClient delegate) {
    this(delegate, Duration.ofSeconds(30), Clock.systemUTC());
  }

  /** Wraps a client with the given time-to-live for cached latest versions. */
  public CachedSchemaRegistryClient(
      SchemaRegistryClient delegate, Duration latestTtl, Clock clock) {
    this.delegate = delegate;
    this.latestTtl = latestTtl;
    this.clock = clock;
  }

  @Override
  public int register(String subject, Schema schema) {
    return cachedId(subject, schema, () -> delegate.register(subject, schema));
  }

  @Override
  public int getId(String subject, Schema schema) {
    return cachedId(subject, schema, () -> delegate.getId(subject, schema));
  }

  private int cachedId(String subject, Schema schema, IntSupplier lookup) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer id = ids.get(key);
    if (id == null) {
      id = lookup.getAsInt();
      ids.put(key, id);
      schemas.putIfAbsent(id, schema);
    }
    return id;
  }

  @Override
  public Schema getSchemaById(int id) {
    return schemas.computeIfAbsent(id, delegate::getSchemaById);
  }

  @Override
  public SchemaMetadata getLatestSchemaMetadata(String subject) {
    Latest cached = latest.get(subject);
    Instant now = clock.instant();
    if (cached != null && cached.fetched().plus(latestTtl).isAfter(now)) {
      return cached.metadata();
    }
    SchemaMetadata fresh = delegate.getLatestSchemaMetadata(subject);
    latest.put(subject, new Latest(fresh, now));
    return fresh;
  }

  @Override
  public SchemaMetadata getSchemaMetadata(String subject, int version) {
    return delegate.getSchemaMetadata(subject, version);
  }

  @Override
  public boolean testCompatibility(String subject, Schema schema) {
    return delegate.testCompatibility(subject, schema);
  }

  @Override
  public List<String> getAllSubjects() {
    return delegate.getAllSubjects();
  }

  @Override
  public List<Integer> deleteSubject(String subject) {
    latest.remove(subject);
    ids.keySet().removeIf(k -> k.subject().equals(subject));
    return delegate.deleteSubject(subject);
  }

  @Override
  public CompatibilityLevel getCompatibility(String subject) {
    return delegate.getCompatibility(subject);
  }

  @Override
  public void updateCompatibility(String subject, CompatibilityLevel level) {
    delegate.updateCompatibility(subject, level);
  }
}
