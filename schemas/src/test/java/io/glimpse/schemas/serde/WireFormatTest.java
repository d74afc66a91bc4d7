package io.glimpse.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.registry.CompatibilityLevel;
import io.glimpse.schemas.registry.InMemorySchemaRegistry;
import io.glimpse.schemas.topic.Topics;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bytes on the wire, checked against vectors worked out by hand from the Avro spec. */
class WireFormatTest {
  private final String scope = "wire-" + UUID.randomUUID();
  private final Map<String, Object> config =
      Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope);

  @AfterEach
  void dropScope() {
    InMemorySchemaRegistry.dropScope(scope);
  }

  @Test
  void modelDeploymentMatchesTheHandComputedVector() {
    Serde<ModelDeployment> serde = Topics.MODEL_DEPLOYMENTS.valueSerde(config);

    byte[] bytes = serde.serializer().serialize("model-deployments", SampleRecords.deployment());

    // 00            magic byte
    // 00 00 00 01   schema id 1, big-endian (first schema in a fresh registry)
    // 02 6d         "m"  (string = zig-zag varint length 1 -> 0x02, then UTF-8)
    // 02 31         "1"
    // 02 75         "u"
    // 04 61 62      "ab" (length 2 -> 0x04)
    // 02 72         "r"
    // 02            deployedTime 1 ms (long 1 -> zig-zag 0x02)
    // 00            deployedBy: union branch 0 = null
    // 00            pinned: false
    // 00            history: an array of no blocks (block count 0)
    assertThat(HexFormat.of().formatHex(bytes))
        .isEqualTo(
            "00"
                + "00000001"
                + "026d"
                + "0231"
                + "0275"
                + "046162"
                + "0272"
                + "02"
                + "00"
                + "00"
                + "00");
  }

  @Test
  void schemaIdIsWrittenBigEndian() {
    InMemorySchemaRegistry registry = InMemorySchemaRegistry.forScope(scope);
    registry.updateCompatibility(null, CompatibilityLevel.NONE);
    for (int i = 1; i <= 257; i++) {
      Schema filler = SchemaBuilder.record("Filler" + i).fields().requiredInt("f").endRecord();
      registry.register("filler", filler);
    }
    GlimpseAvroSerializer<Object> serializer = new GlimpseAvroSerializer<>();
    serializer.configure(config, false);

    byte[] bytes = serializer.serialize("t", -1); // id 258 = 0x00000102; int -1 -> zig-zag 0x01

    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("00" + "00000102" + "01");
  }
}
