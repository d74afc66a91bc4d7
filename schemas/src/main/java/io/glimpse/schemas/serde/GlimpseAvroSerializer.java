package io.glimpse.schemas.serde;

import io.glimpse.schemas.registry.SchemaMetadata;
import io.glimpse.schemas.registry.SchemaRegistryClient;
import io.glimpse.schemas.registry.SchemaRegistryClients;
import io.glimpse.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records in the schema registry wire format (0x00, 4-byte schema id, Avro binary),
 * registering or looking up the schema first. It reads the configuration keys of Confluent's {@code
 * KafkaAvroSerializer} ({@link AvroSerdeConfig}); either class can replace the other.
 *
 * @param <T> the record type: SpecificRecord, GenericRecord or an Avro primitive
 */
public class GlimpseAvroSerializer<T> implements Serializer<T> {
  private SchemaRegistryClient registry;
  private AvroSerdeConfig config;
  private boolean isKey;
  private final Map<SubjectSchema, Target> targets = new ConcurrentHashMap<>();

  /**
   * What a target is cached under: the subject too, since a schema registered under one subject
   * (one topic) is not yet registered under another that uses it.
   */
  private record SubjectSchema(String subject, Schema schema) {}

  /** The schema id and writer to use for records of one schema under one subject. */
  private record Target(int id, DatumWriter<Object> writer) {}

  /** For Kafka's reflective construction; {@link #configure} must follow. */
  public GlimpseAvroSerializer() {}

  /** A serializer with its registry client given; {@link #configure} still reads the rest. */
  public GlimpseAvroSerializer(SchemaRegistryClient registry) {
    this.registry = registry;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.config = AvroSerdeConfig.from(configs, isKey);
    this.isKey = isKey;
    if (registry == null) {
      registry = SchemaRegistryClients.create(config);
    }
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    if (config == null) {
      throw new IllegalStateException("GlimpseAvroSerializer used before configure()");
    }
    Schema schema = AvroSchemas.canonical(AvroSchemas.schemaOf(data));
    String subject = config.subjectNameStrategy().subjectName(topic, isKey, schema);
    Target target = config.useLatestVersion() ? latest(subject) : targetFor(subject, schema);
    return write(topic, data, target);
  }

  private Target targetFor(String subject, Schema schema) {
    return targets.computeIfAbsent(
        new SubjectSchema(subject, schema),
        key -> {
          Schema s = key.schema();
          try {
            int id =
                config.autoRegisterSchemas()
                    ? registry.register(subject, s)
                    : registry.getId(subject, s);
            return new Target(id, writerFor(s));
          } catch (SchemaRegistryException e) {
            throw new SerializationException(
                (config.autoRegisterSchemas() ? "Could not register" : "Could not look up")
                    + " schema "
                    + s.getFullName()
                    + " under subject '"
                    + subject
                    + "': "
                    + e.getMessage(),
                e);
          }
        });
  }

  private Target latest(String subject) {
    try {
      SchemaMetadata meta = registry.getLatestSchemaMetadata(subject);
      Schema latestSchema = registry.getSchemaById(meta.id());
      return targets.computeIfAbsent(
          new SubjectSchema(subject, latestSchema),
          key -> new Target(meta.id(), writerFor(key.schema())));
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          "use.latest.version is set but the latest schema of subject '"
              + subject
              + "' could not be read: "
              + e.getMessage(),
          e);
    }
  }

  private static DatumWriter<Object> writerFor(Schema schema) {
    return new SpecificDatumWriter<>(schema, SpecificData.get());
  }

  private static byte[] write(String topic, Object data, Target target) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    ByteBuffer header = ByteBuffer.allocate(WireFormat.HEADER_SIZE);
    WireFormat.writeHeader(target.id(), header);
    out.write(header.array(), 0, WireFormat.HEADER_SIZE);
    try {
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      target.writer().write(data, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "Could not write "
              + data.getClass().getName()
              + " to topic '"
              + topic
              + "' with schema id "
              + target.id()
              + ": "
              + e.getMessage(),
          e);
    }
    return out.toByteArray();
  }
}
