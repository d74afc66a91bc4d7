package io.glimpse.schemas.serde;

import io.glimpse.schemas.registry.SchemaRegistryClient;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka {@link Serde} for one generated Avro class, built from {@link GlimpseAvroSerializer} and
 * {@link GlimpseAvroDeserializer}. Configure it with the same map a Confluent {@code
 * SpecificAvroSerde} takes ({@code schema.registry.url} and friends).
 *
 * @param <T> the generated record class
 */
public final class GlimpseAvroSerde<T extends SpecificRecord> implements Serde<T> {
  private final GlimpseAvroSerializer<T> serializer;
  private final GlimpseAvroDeserializer<T> deserializer;

  /** A serde for {@code type} whose registry client comes from the configuration. */
  public GlimpseAvroSerde(Class<T> type) {
    this(type, null);
  }

  /** A serde for {@code type} that uses the given registry client. */
  public GlimpseAvroSerde(Class<T> type, SchemaRegistryClient registry) {
    this.serializer = new GlimpseAvroSerializer<>(registry);
    this.deserializer = new GlimpseAvroDeserializer<>(type, registry);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    Map<String, Object> specific = new HashMap<>(configs);
    specific.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
    serializer.configure(specific, isKey);
    deserializer.configure(specific, isKey);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }
}
