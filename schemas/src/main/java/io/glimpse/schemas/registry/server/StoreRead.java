package io.glimpse.schemas.registry.server;

import java.util.List;

/**
 * What one {@link SchemaStore#read} found.
 *
 * @param records the records read, oldest first
 * @param end the position after them: where the next read starts, and the condition of the next
 *     {@link SchemaStore#append}
 */
public record StoreRead(List<StoreRecord> records, long end) {

  /** Copies the records; the end cannot be negative. */
  public StoreRead {
    records = List.copyOf(records);
    if (end < 0) {
      throw new IllegalArgumentException("A store position cannot be negative, got " + end);
    }
  }
}
