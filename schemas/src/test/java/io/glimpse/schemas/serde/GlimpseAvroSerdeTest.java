package io.glimpse.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.avro.ModelVersion;
import io.glimpse.schemas.avro.Prediction;
import io.glimpse.schemas.registry.InMemorySchemaRegistry;
import io.glimpse.schemas.topic.Topics;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GlimpseAvroSerdeTest {
  private final String scope = "serde-" + UUID.randomUUID();
  private final Map<String, Object> config =
      Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope);

  @AfterEach
  void dropScope() {
    InMemorySchemaRegistry.dropScope(scope);
  }

  static Stream<SpecificRecord> records() {
    return Stream.of(
        SampleRecords.image(),
        SampleRecords.prediction(),
        SampleRecords.modelVersion(),
        SampleRecords.deployment());
  }

  @ParameterizedTest
  @MethodSource("records")
  @SuppressWarnings({"unchecked", "rawtypes"})
  void everyRecordTypeRoundTripsThroughItsSpecificSerde(SpecificRecord record) {
    try (Serde serde = new GlimpseAvroSerde(record.getClass())) {
      serde.configure(config, false);
      byte[] bytes = serde.serializer().serialize("t", record);
      assertThat(bytes[0]).isEqualTo(WireFormat.MAGIC_BYTE);
      assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(record);
    }
  }

  @Test
  void topicConstantsCarryWorkingSerdes() {
    Serde<ImageEvent> images = Topics.IMAGES.valueSerde(config);
    Serde<Prediction> predictions = Topics.PREDICTIONS.valueSerde(config);
    Serde<ModelVersion> versions = Topics.MODEL_VERSIONS.valueSerde(config);
    Serde<ModelDeployment> deployments = Topics.MODEL_DEPLOYMENTS.valueSerde(config);
    ImageEvent image = SampleRecords.image();

    byte[] bytes = images.serializer().serialize(Topics.IMAGES.name(), image);

    assertThat(images.deserializer().deserialize(Topics.IMAGES.name(), bytes)).isEqualTo(image);
    assertThat(InMemorySchemaRegistry.forScope(scope).getAllSubjects())
        .containsExactly("images-value");
    assertThat(predictions).isNotNull();
    assertThat(versions).isNotNull();
    assertThat(deployments).isNotNull();
    assertThat(Topics.MODEL_DEPLOYMENTS.topicConfig()).containsEntry("cleanup.policy", "compact");
  }

  @Test
  void genericReaderGetsGenericRecordsWithTheWriterSchema() {
    GlimpseAvroSerializer<Object> serializer = new GlimpseAvroSerializer<>();
    serializer.configure(config, false);
    GlimpseAvroDeserializer<Object> deserializer = new GlimpseAvroDeserializer<>();
    deserializer.configure(config, false);

    Object read = deserializer.deserialize("t", serializer.serialize("t", SampleRecords.image()));

    assertThat(read).isInstanceOf(GenericRecord.class).isNotInstanceOf(ImageEvent.class);
    GenericRecord generic = (GenericRecord) read;
    assertThat(generic.get("id")).hasToString("img-1");
    assertThat(generic.get("label")).hasToString("Sneaker");
  }

  @Test
  void specificReaderByConfigurationFindsTheGeneratedClass() {
    GlimpseAvroSerializer<Object> serializer = new GlimpseAvroSerializer<>();
    serializer.configure(config, false);
    GlimpseAvroDeserializer<Object> deserializer = new GlimpseAvroDeserializer<>();
    deserializer.configure(
        Map.of(
            AvroSerdeConfig.SCHEMA_REGISTRY_URL,
            "mock://" + scope,
            AvroSerdeConfig.SPECIFIC_AVRO_READER,
            "true"),
        false);

    Object read = deserializer.deserialize("t", serializer.serialize("t", SampleRecords.image()));

    assertThat(read).isEqualTo(SampleRecords.image());
  }

  @Test
  void primitivesRoundTripAsConfluentWritesThem() {
    GlimpseAvroSerializer<Object> serializer = new GlimpseAvroSerializer<>();
    serializer.configure(config, true);
    GlimpseAvroDeserializer<Object> deserializer = new GlimpseAvroDeserializer<>();
    deserializer.configure(config, true);

    byte[] bytes = serializer.serialize("t", "key-1");

    assertThat(deserializer.deserialize("t", bytes)).hasToString("key-1");
    assertThat(InMemorySchemaRegistry.forScope(scope).getAllSubjects()).containsExactly("t-key");
  }

  @Test
  void registersTheSchemaWithoutJavaOnlyStringProperties() {
    Serde<ImageEvent> serde = Topics.IMAGES.valueSerde(config);
    serde.serializer().serialize("images", SampleRecords.image());

    String registered =
        InMemorySchemaRegistry.forScope(scope).getLatestSchemaMetadata("images-value").schema();

    assertThat(registered).doesNotContain("avro.java.string").contains("\"name\":\"ImageEvent\"");
  }

  @Test
  void twoTopicsSharingASchemaRegisterItUnderBothSubjects() {
    GlimpseAvroSerializer<Object> serializer = new GlimpseAvroSerializer<>();
    serializer.configure(config, false);

    byte[] first = serializer.serialize("images-a", SampleRecords.image());
    byte[] second = serializer.serialize("images-b", SampleRecords.image());

    InMemorySchemaRegistry registry = InMemorySchemaRegistry.forScope(scope);
    assertThat(registry.getAllSubjects()).containsExactly("images-a-value", "images-b-value");
    assertThat(registry.getLatestSchemaMetadata("images-b-value").id())
        .isEqualTo(registry.getLatestSchemaMetadata("images-a-value").id());
    assertThat(second).isEqualTo(first);
  }

  @Test
  void recordNameStrategyNamesTheSubjectAfterTheRecord() {
    GlimpseAvroSerializer<Object> serializer = new GlimpseAvroSerializer<>();
    serializer.configure(
        Map.of(
            AvroSerdeConfig.SCHEMA_REGISTRY_URL,
            "mock://" + scope,
            AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY,
            "io.confluent.kafka.serializers.subject.RecordNameStrategy"),
        false);

    serializer.serialize("anything", SampleRecords.deployment());

    assertThat(InMemorySchemaRegistry.forScope(scope).getAllSubjects())
        .containsExactly("io.glimpse.schemas.avro.ModelDeployment");
  }

  @Test
  void nullsPassThroughAsTombstones() {
    Serde<ModelDeployment> serde = Topics.MODEL_DEPLOYMENTS.valueSerde(config);
    assertThat(serde.serializer().serialize("t", null)).isNull();
    assertThat(serde.deserializer().deserialize("t", null)).isNull();
  }
}
