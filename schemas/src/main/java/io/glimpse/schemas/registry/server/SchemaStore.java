package io.glimpse.schemas.registry.server;

import java.util.List;

/**
 * The durable log behind a {@link SchemaRegistryService}, in the record layout of Confluent's
 * {@code _schemas} topic, so a store over that topic can be shared with (or migrated from) a
 * Confluent registry.
 *
 * <p>Several registries may share one store. Each reads what was appended since its last read
 * ({@link #read}) and appends a change only on top of the log it has read ({@link #append}): the
 * store refuses an append when anything was stored after the position the writer read to. That
 * condition is what keeps two registries from handing out the same schema id.
 */
public interface SchemaStore {

  /**
   * Returns the records stored at or after position {@code from} (0 is the beginning), oldest
   * first, up to at least the end of the log at the time of the call, and the position after them.
   *
   * @throws io.glimpse.schemas.registry.SchemaRegistryException STORE_ERROR or OPERATION_TIMEOUT
   *     when the log cannot be read
   */
  StoreRead read(long from);

  /**
   * Stores the records, in order and all or none, provided the log still ends at {@code end} (the
   * {@link StoreRead#end()} the caller last read); returns only once they are stored.
   *
   * @throws StoreConflictException when something was stored after {@code end}: nothing was stored;
   *     read again and retry
   * @throws io.glimpse.schemas.registry.SchemaRegistryException STORE_ERROR or OPERATION_TIMEOUT
   *     when the records were not, or not provably, stored. They may still be stored, but never
   *     after the next append's condition was checked, so a caller that reads again before its next
   *     append sees them
   */
  void append(long end, List<StoreRecord> records);
}
