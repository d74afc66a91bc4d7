package io.glimpse.schemas.serde;

import io.glimpse.schemas.registry.RegistryErrorCode;
import io.glimpse.schemas.registry.SchemaRegistryClient;
import io.glimpse.schemas.registry.SchemaRegistryClients;
import io.glimpse.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads records in the schema registry wire format. The writer schema comes from the registry by
 * the id in the header; the reader schema is the generated class's (with {@code
 * specific.avro.reader=true} or a target class) or the writer's own (GenericRecord).
 *
 * <p>Anything that is not a well-formed record — wrong magic byte, unknown schema id, truncated,
 * garbage or trailing bytes, a writer schema the reader cannot resolve — raises a {@link
 * SerializationException} whose message says which, so Kafka's and Kafka Streams' error handlers
 * can route the record to a dead-letter topic.
 *
 * @param <T> the type read: a generated class, GenericRecord, or an Avro primitive
 */
public class GlimpseAvroDeserializer<T> implements Deserializer<T> {
  private final Class<? extends T> targetType;
  private SchemaRegistryClient registry;
  private AvroSerdeConfig config;
  private final Map<Integer, Reader> readers = new ConcurrentHashMap<>();

  private record Reader(Schema writer, Schema reader, DatumReader<Object> datumReader) {}

  /** For Kafka's reflective construction; {@link #configure} must follow. */
  public GlimpseAvroDeserializer() {
    this(null, null);
  }

  /**
   * A deserializer that always reads into {@code targetType} (a generated class), whatever {@code
   * specific.avro.reader} says; {@code registry} may be null to create one from the configuration.
   */
  public GlimpseAvroDeserializer(Class<? extends T> targetType, SchemaRegistryClient registry) {
    this.targetType = targetType;
    this.registry = registry;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.config = AvroSerdeConfig.from(configs, isKey);
    if (registry == null) {
      registry = SchemaRegistryClients.create(config);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (config == null) {
      throw new IllegalStateException("GlimpseAvroDeserializer used before configure()");
    }
    WireFormat.Frame frame = WireFormat.read(data, topic);
    Reader reader = readers.computeIfAbsent(frame.schemaId(), id -> readerFor(topic, id));
    return (T) decode(topic, frame, reader);
  }

  private Reader readerFor(String topic, int id) {
    Schema writer;
    try {
      writer = registry.getSchemaById(id);
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == RegistryErrorCode.SCHEMA_NOT_FOUND.code()) {
        throw new SerializationException(
            "Unknown schema id "
                + id
                + " on topic '"
                + topic
                + "': the registry has no such schema. The record was written against another"
                + " registry, or its schema was deleted.",
            e);
      }
      throw new SerializationException(
          "Could not fetch schema id " + id + " for topic '" + topic + "': " + e.getMessage(), e);
    }
    Schema reader = readerSchema(topic, writer);
    checkResolvable(topic, id, writer, reader);
    DatumReader<Object> datumReader =
        reader == writer
            ? BoundedDatumReaders.generic(writer)
            : BoundedDatumReaders.specific(writer, reader);
    return new Reader(writer, reader, datumReader);
  }

  private Schema readerSchema(String topic, Schema writer) {
    if (targetType != null && SpecificRecord.class.isAssignableFrom(targetType)) {
      return SpecificData.get().getSchema(targetType);
    }
    if (!config.specificAvroReader() || writer.getType() != Schema.Type.RECORD) {
      return writer;
    }
    Class<?> generated = SpecificData.get().getClass(writer);
    if (generated == null) {
      throw new SerializationException(
          "specific.avro.reader is set but no generated class "
              + writer.getFullName()
              + " is on the classpath for topic '"
              + topic
              + "'; add it or set specific.avro.reader=false to read GenericRecords");
    }
    return SpecificData.get().getSchema(generated);
  }

  private static void checkResolvable(String topic, int id, Schema writer, Schema reader) {
    SchemaCompatibility.SchemaPairCompatibility pair =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (pair.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      throw new SerializationException(
          "Writer schema id "
              + id
              + " ("
              + writer.getFullName()
              + ") on topic '"
              + topic
              + "' cannot be read as "
              + reader.getFullName()
              + ": "
              + pair.getDescription()
              + ". Evolve the schema compatibly (new fields need defaults).");
    }
  }

  private static Object decode(String topic, WireFormat.Frame frame, Reader reader) {
    ByteBuffer body = frame.body();
    int length = body.remaining();
    BoundedBinaryDecoder decoder =
        new BoundedBinaryDecoder(
            DecoderFactory.get()
                .binaryDecoder(body.array(), body.arrayOffset() + body.position(), length, null));
    try {
      Object value = reader.datumReader().read(null, decoder);
      if (!decoder.isEnd()) {
        throw new SerializationException(
            "Record on topic '"
                + topic
                + "' has bytes left over after the "
                + reader.writer().getFullName()
                + " body (schema id "
                + frame.schemaId()
                + "): it is corrupt or was written with another schema.");
      }
      return value;
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
      throw new SerializationException(
          "Could not decode the "
              + length
              + "-byte Avro body on topic '"
              + topic
              + "' with writer schema id "
              + frame.schemaId()
              + " ("
              + reader.writer().getFullName()
              + "): "
              + e
              + ". The bytes are truncated, corrupt, or not Avro.",
          e);
    } catch (RuntimeException e) {
      if (e instanceof SerializationException) {
        throw e;
      }
      throw new SerializationException(
          "Could not decode the Avro body on topic '" + topic + "': " + e, e);
    }
  }
}
