package io.glimpse.schemas.registry.server;

import java.util.Objects;

/**
 * One record of the registry's log, as the key and value JSON strings of Confluent's {@code
 * _schemas} topic. A null value is a tombstone.
 *
 * @param key the key JSON, for example {@code {"keytype":"SCHEMA","subject":"s","version":1,
 *     "magic":1}}
 * @param value the value JSON, or null for a tombstone
 */
public record StoreRecord(String key, String value) {

  /** Checks that the key is present; a record without a key cannot be replayed. */
  public StoreRecord {
    Objects.requireNonNull(key, "key");
  }

  /** Whether this record deletes its key (a null value). */
  public boolean isTombstone() {
    return value == null;
  }
}
