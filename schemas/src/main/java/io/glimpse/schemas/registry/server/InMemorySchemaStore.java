package io.glimpse.schemas.registry.server;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A {@link SchemaStore} that keeps its records in a list (positions are list indexes): for tests,
 * {@code mock://} registries and replaying records captured elsewhere. Thread-safe; several
 * services may share one, as registries share a topic. Nothing survives the JVM.
 */
public final class InMemorySchemaStore implements SchemaStore {
  private final List<StoreRecord> records = new ArrayList<>();

  /** An empty store. */
  public InMemorySchemaStore() {}

  /** A store that starts with the given records, oldest first (for example a copied log). */
  public InMemorySchemaStore(Collection<StoreRecord> initial) {
    initial.forEach(r -> records.add(Objects.requireNonNull(r, "record")));
  }

  @Override
  public synchronized StoreRead read(long from) {
    int start = (int) Math.min(Math.max(from, 0), records.size());
    return new StoreRead(records.subList(start, records.size()), records.size());
  }

  @Override
  public synchronized void append(long end, List<StoreRecord> toAppend) {
    List<StoreRecord> checked = new ArrayList<>(toAppend.size());
    toAppend.forEach(r -> checked.add(Objects.requireNonNull(r, "record")));
    if (end != records.size()) {
      throw new StoreConflictException(
          "The log ends at " + records.size() + ", not at " + end + " as read", null);
    }
    records.addAll(checked);
  }

  /** Every record stored so far, oldest first. */
  public List<StoreRecord> readAll() {
    return read(0).records();
  }
}
