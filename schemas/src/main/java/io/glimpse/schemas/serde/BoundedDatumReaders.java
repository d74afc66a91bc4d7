package io.glimpse.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Datum readers that never pre-allocate more than {@link #MAX_PREALLOCATED} slots for an array or
 * map, whatever count the bytes claim. Avro sizes a collection from the block count before reading
 * its items, so one corrupt varint in a hostile or garbled record could otherwise allocate
 * gigabytes; with the cap, such a record fails fast at the end of its bytes instead.
 */
final class BoundedDatumReaders {
  static final int MAX_PREALLOCATED = 1024;

  private BoundedDatumReaders() {}

  /** A reader producing generated classes (reader schema from a SpecificRecord). */
  static DatumReader<Object> specific(Schema writer, Schema reader) {
    return new SpecificDatumReader<>(writer, reader, SpecificData.get()) {
      @Override
      protected Object newArray(Object old, int size, Schema schema) {
        return super.newArray(old, Math.min(size, MAX_PREALLOCATED), schema);
      }

      @Override
      protected Object newMap(Object old, int size) {
        return super.newMap(old, Math.min(size, MAX_PREALLOCATED));
      }
    };
  }

  /** A reader producing GenericRecords with the writer's schema. */
  static DatumReader<Object> generic(Schema writer) {
    return new GenericDatumReader<>(writer, writer, GenericData.get()) {
      @Override
      protected Object newArray(Object old, int size, Schema schema) {
        return super.newArray(old, Math.min(size, MAX_PREALLOCATED), schema);
      }

      @Override
      protected Object newMap(Object old, int size) {
        return super.newMap(old, Math.min(size, MAX_PREALLOCATED));
      }
    };
  }
}
