package io.glimpse.schemas.registry.server;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link SchemaStore} that keeps its records in a list: for tests, {@code mock://} registries and
 * replaying records captured elsewhere. Thread-safe. Nothing survives the JVM.
 */
public final class InMemorySchemaStore implements SchemaStore {
  private final List<StoreRecord> records = new CopyOnWriteArrayList<>();

  /** An empty store. */
  public InMemorySchemaStore() {}

  /** A store that starts with the given records, oldest first (for example a copied log). */
  public InMemorySchemaStore(Collection<StoreRecord> initial) {
    initial.forEach(r -> records.add(Objects.requireNonNull(r, "record")));
  }

  @Override
  public List<StoreRecord> readAll() {
    return List.copyOf(records);
  }

  @Override
  public void append(StoreRecord record) {
    records.add(Objects.requireNonNull(record, "record"));
  }
}
