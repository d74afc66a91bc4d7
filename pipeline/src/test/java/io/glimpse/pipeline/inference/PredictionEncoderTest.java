package io.glimpse.pipeline.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glimpse.pipeline.batch.PendingRecord;
import io.glimpse.pipeline.batch.RetriableBatchException;
import io.glimpse.schemas.avro.ClassScore;
import io.glimpse.schemas.avro.Prediction;
import io.glimpse.schemas.avro.Timings;
import io.glimpse.schemas.registry.InMemorySchemaRegistry;
import io.glimpse.schemas.serde.AvroSerdeConfig;
import io.glimpse.schemas.topic.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Predictions are serialized inside the batch, so a registry that cannot be asked for the
 * prediction schema's id fails the batch as retriable instead of killing the stream thread in the
 * sink.
 */
class PredictionEncoderTest {
  private final String scope = "encoder-" + UUID.randomUUID();

  @AfterEach
  void dropScope() {
    InMemorySchemaRegistry.dropScope(scope);
  }

  private static PendingRecord source() {
    return new PendingRecord(
        "images", 0, 7, 1L, 1L, new byte[] {1}, new byte[] {2}, new RecordHeaders());
  }

  private static Prediction prediction() {
    return Prediction.newBuilder()
        .setImageId("img-7")
        .setSource("camera-7")
        .setModelName("fashion")
        .setModelVersion("3")
        .setTopK(List.of(new ClassScore("Sneaker", 7, 0.91f)))
        .setTimings(new Timings(4L, 12L, 30L))
        .setBatchSize(16)
        .setEventTime(Instant.ofEpochMilli(5))
        .setProcessedTime(Instant.ofEpochMilli(35))
        .build();
  }

  private static Serializer<Prediction> serializer(String registryUrl) {
    return Topics.PREDICTIONS
        .valueSerde(
            Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl, AvroSerdeConfig.MAX_RETRIES, 0))
        .serializer();
  }

  @Test
  void writesWhatThePredictionsDeserializerReads() {
    Map<String, Object> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope);
    var encoder =
        new PredictionEncoder(Topics.PREDICTIONS.valueSerde(config).serializer(), "predictions");

    byte[] bytes = encoder.encode(source(), prediction());

    Prediction read =
        Topics.PREDICTIONS.valueSerde(config).deserializer().deserialize("predictions", bytes);
    assertThat(read).isEqualTo(prediction());
  }

  @Test
  void anUnreachableRegistryIsAnOutageNotAFailedThread() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    var encoder =
        new PredictionEncoder(serializer("http://127.0.0.1:" + closedPort), "predictions");

    assertThatThrownBy(() -> encoder.encode(source(), prediction()))
        .isInstanceOf(RetriableBatchException.class)
        .hasMessageContaining("prediction schema of predictions");
  }
}
