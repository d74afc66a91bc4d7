package io.glimpse.schemas.registry.server;

import java.util.List;

/**
 * The durable log behind a {@link SchemaRegistryService}. The service appends every state change as
 * a {@link StoreRecord} before it applies it, and rebuilds its state on start by replaying {@link
 * #readAll()}. Records use the layout of Confluent's {@code _schemas} topic, so a store over that
 * topic can be shared with (or migrated from) a Confluent registry.
 *
 * <p>A store has one writer: the service that replayed it.
 */
public interface SchemaStore {

  /**
   * Returns every record stored so far, oldest first.
   *
   * @throws io.glimpse.schemas.registry.SchemaRegistryException STORE_ERROR or OPERATION_TIMEOUT
   *     when the log cannot be read
   */
  List<StoreRecord> readAll();

  /**
   * Stores one record durably and returns only once it is stored.
   *
   * @throws io.glimpse.schemas.registry.SchemaRegistryException STORE_ERROR or OPERATION_TIMEOUT
   *     when the record was not (or not provably) stored; the caller then leaves its state as it
   *     was
   */
  void append(StoreRecord record);
}
