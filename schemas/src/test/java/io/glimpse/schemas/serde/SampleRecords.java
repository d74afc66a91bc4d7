package io.glimpse.schemas.serde;

import io.glimpse.schemas.avro.ClassScore;
import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.avro.InputShape;
import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.avro.ModelFormat;
import io.glimpse.schemas.avro.ModelVersion;
import io.glimpse.schemas.avro.Normalization;
import io.glimpse.schemas.avro.Prediction;
import io.glimpse.schemas.avro.Timings;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One fully populated instance of each record type. */
final class SampleRecords {
  private SampleRecords() {}

  static final Instant T0 = Instant.ofEpochMilli(1_764_000_000_123L);

  static ImageEvent image() {
    return ImageEvent.newBuilder()
        .setId("img-1")
        .setSource("camera-7")
        .setContentType("application/x-raw-pixels")
        .setData(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 255}))
        .setWidth(2)
        .setHeight(2)
        .setChannels(1)
        .setEventTime(T0)
        .setMetadata(Map.of("site", "lab"))
        .setLabel("Sneaker")
        .build();
  }

  static Prediction prediction() {
    return Prediction.newBuilder()
        .setImageId("img-1")
        .setSource("camera-7")
        .setModelName("fashion")
        .setModelVersion("3")
        .setTopK(List.of(new ClassScore("Sneaker", 7, 0.91f), new ClassScore("Sandal", 5, 0.05f)))
        .setTimings(new Timings(4L, 12L, 30L))
        .setBatchSize(16)
        .setEventTime(T0)
        .setProcessedTime(T0.plusMillis(30))
        .setLabel(null)
        .build();
  }

  static ModelVersion modelVersion() {
    return ModelVersion.newBuilder()
        .setModelName("fashion")
        .setVersion("3")
        .setArtifactUri("file:///var/glimpse/models/fashion/3/")
        .setSha256("ab".repeat(32))
        .setFormat(ModelFormat.DJL)
        .setArchitecture("mobilenet_v1")
        .setWidthMultiplier(0.5f)
        .setInputShape(new InputShape(1, 32, 32))
        .setNormalization(new Normalization(List.of(0.286f), List.of(0.353f)))
        .setLabels(List.of("T-shirt/top", "Trouser"))
        .setMetrics(Map.of("validation_accuracy", 0.91))
        .setCreatedTime(T0)
        .setParentVersion("2")
        .build();
  }

  static ModelDeployment deployment() {
    return ModelDeployment.newBuilder()
        .setModelName("m")
        .setVersion("1")
        .setArtifactUri("u")
        .setSha256("ab")
        .setReason("r")
        .setDeployedTime(Instant.ofEpochMilli(1))
        .setDeployedBy(null)
        .build();
  }
}
