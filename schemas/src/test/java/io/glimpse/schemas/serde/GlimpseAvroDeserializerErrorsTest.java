package io.glimpse.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.registry.InMemorySchemaRegistry;
import io.glimpse.schemas.topic.Topics;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every kind of bad input raises a SerializationException that says what was wrong. */
class GlimpseAvroDeserializerErrorsTest {
  private final String scope = "errors-" + UUID.randomUUID();
  private final Map<String, Object> config =
      Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope);
  private final Deserializer<ImageEvent> images = Topics.IMAGES.valueSerde(config).deserializer();

  @AfterEach
  void dropScope() {
    InMemorySchemaRegistry.dropScope(scope);
  }

  private byte[] validImageBytes() {
    return Topics.IMAGES.valueSerde(config).serializer().serialize("images", SampleRecords.image());
  }

  @Test
  void wrongMagicByte() {
    byte[] bytes = validImageBytes();
    bytes[0] = 0x01;
    assertThatThrownBy(() -> images.deserialize("images", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Unknown magic byte 0x01")
        .hasMessageContaining("'images'");
  }

  @Test
  void tooShortForTheHeader() {
    assertThatThrownBy(() -> images.deserialize("images", new byte[] {0, 0, 1}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("3 bytes, too short");
  }

  @Test
  void plainTextIsNotMistakenForAvro() {
    byte[] json = "{\"id\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThatThrownBy(() -> images.deserialize("images", json))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("magic byte 0x7b");
  }

  @Test
  void unknownSchemaId() {
    byte[] bytes = validImageBytes();
    ByteBuffer.wrap(bytes).putInt(1, 9999);
    assertThatThrownBy(() -> images.deserialize("images", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Unknown schema id 9999");
  }

  @Test
  void truncatedBody() {
    byte[] bytes = validImageBytes();
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 6);
    assertThatThrownBy(() -> images.deserialize("images", truncated))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("truncated, corrupt, or not Avro");
  }

  @Test
  void trailingBytes() {
    byte[] bytes = validImageBytes();
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
    assertThatThrownBy(() -> images.deserialize("images", longer))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("bytes left over");
  }

  @Test
  void aLengthLongerThanTheRecordIsRefusedBeforeAllocating() {
    byte[] header = Arrays.copyOf(validImageBytes(), WireFormat.HEADER_SIZE);
    // "id" claims 1 GiB: zig-zag varint of 2^30 is 0x80 0x80 0x80 0x80 0x08.
    byte[] hostile = Arrays.copyOf(header, WireFormat.HEADER_SIZE + 6);
    byte[] length = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 'x'};
    System.arraycopy(length, 0, hostile, WireFormat.HEADER_SIZE, length.length);

    assertThatThrownBy(() -> images.deserialize("images", hostile))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Length 1073741824 is impossible with 1 bytes left");
  }

  @Test
  void garbageBodiesNeverEscapeAsAnythingButSerializationException() {
    byte[] header = Arrays.copyOf(validImageBytes(), WireFormat.HEADER_SIZE);
    Random random = new Random(42);
    int refused = 0;
    for (int i = 0; i < 2_000; i++) {
      byte[] garbage = new byte[WireFormat.HEADER_SIZE + random.nextInt(64)];
      random.nextBytes(garbage);
      System.arraycopy(header, 0, garbage, 0, WireFormat.HEADER_SIZE);
      try {
        images.deserialize("images", garbage);
      } catch (SerializationException e) {
        refused++;
        assertThat(e.getMessage()).contains("images");
      }
    }
    assertThat(refused).isGreaterThan(1_000);
  }

  @Test
  void writerSchemaTheReaderCannotResolve() {
    Schema impostor =
        SchemaBuilder.record("ImageEvent")
            .namespace("io.glimpse.schemas.avro")
            .fields()
            .requiredInt("id")
            .endRecord();
    GenericRecord record = new GenericData.Record(impostor);
    record.put("id", 7);
    GlimpseAvroSerializer<Object> serializer = new GlimpseAvroSerializer<>();
    serializer.configure(config, false);
    byte[] bytes = serializer.serialize("elsewhere", record);

    assertThatThrownBy(() -> images.deserialize("images", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("cannot be read as io.glimpse.schemas.avro.ImageEvent");
  }

  @Test
  void specificReaderWithoutAGeneratedClass() {
    Schema unknown =
        SchemaBuilder.record("NoSuchClass").namespace("x.y").fields().requiredInt("a").endRecord();
    GenericRecord record = new GenericData.Record(unknown);
    record.put("a", 1);
    GlimpseAvroSerializer<Object> serializer = new GlimpseAvroSerializer<>();
    serializer.configure(config, false);
    GlimpseAvroDeserializer<Object> specific = new GlimpseAvroDeserializer<>();
    specific.configure(
        Map.of(
            AvroSerdeConfig.SCHEMA_REGISTRY_URL,
            "mock://" + scope,
            AvroSerdeConfig.SPECIFIC_AVRO_READER,
            true),
        false);
    byte[] bytes = serializer.serialize("t", record);

    assertThatThrownBy(() -> specific.deserialize("t", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("no generated class x.y.NoSuchClass");
  }

  @Test
  void autoRegisterOffAndSchemaMissing() {
    GlimpseAvroSerializer<Object> serializer = new GlimpseAvroSerializer<>();
    serializer.configure(
        Map.of(
            AvroSerdeConfig.SCHEMA_REGISTRY_URL,
            "mock://" + scope,
            AvroSerdeConfig.AUTO_REGISTER_SCHEMAS,
            "false"),
        false);
    assertThatThrownBy(() -> serializer.serialize("images", SampleRecords.image()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Could not look up schema io.glimpse.schemas.avro.ImageEvent")
        .hasMessageContaining("images-value");
  }

  @Test
  void serializingSomethingThatIsNotAvro() {
    GlimpseAvroSerializer<Object> serializer = new GlimpseAvroSerializer<>();
    serializer.configure(config, false);
    assertThatThrownBy(() -> serializer.serialize("t", new java.util.Date()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Cannot serialize java.util.Date as Avro");
  }
}
