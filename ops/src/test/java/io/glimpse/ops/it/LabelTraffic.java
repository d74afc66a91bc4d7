package io.glimpse.ops.it;

import io.glimpse.lifecycle.ModelVersions;
import io.glimpse.model.artifact.ModelArtifact;
import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.schemas.avro.ImageLabel;
import io.glimpse.schemas.avro.ModelVersion;
import io.glimpse.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Publishes to the default labels and model-versions topics, as a labelling service and the
 * registry would: labels with their own event time, unreadable label records, and model versions
 * with their label sets (so that other labels count as unknown).
 */
final class LabelTraffic implements AutoCloseable {
  private final KafkaProducer<String, ImageLabel> labels;
  private final KafkaProducer<String, ModelVersion> versions;
  private final KafkaProducer<byte[], byte[]> raw;

  LabelTraffic(Map<String, Object> clientConfig) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    labels =
        new KafkaProducer<>(
            config,
            Topics.LABELS.keySerde(clientConfig).serializer(),
            Topics.LABELS.valueSerde(clientConfig).serializer());
    versions =
        new KafkaProducer<>(
            config,
            Topics.MODEL_VERSIONS.keySerde(clientConfig).serializer(),
            Topics.MODEL_VERSIONS.valueSerde(clientConfig).serializer());
    raw = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Registers the artifact's version with its label set, so that other labels are unknown. */
  void register(Path artifact) throws Exception {
    ModelManifest manifest =
        ModelManifest.fromJson(Files.readAllBytes(artifact.resolve(ModelArtifact.MANIFEST_FILE)));
    ModelVersion version = ModelVersions.of(manifest, artifact.toUri(), "0".repeat(64));
    versions
        .send(
            new ProducerRecord<>(
                Topics.MODEL_VERSIONS.name(),
                Topics.modelVersionKey(manifest.getName(), manifest.getVersion()),
                version))
        .get();
  }

  /** Sends a label of {@code imageId} whose event time and record timestamp are {@code time}. */
  void send(String imageId, String label, long time) throws Exception {
    ImageLabel record =
        ImageLabel.newBuilder()
            .setImageId(imageId)
            .setLabel(label)
            .setSource("it")
            .setLabelTime(Instant.ofEpochMilli(time))
            .build();
    labels.send(new ProducerRecord<>(Topics.LABELS.name(), null, time, imageId, record)).get();
  }

  /** Sends a label record keyed {@code imageId} whose value is not Avro. */
  void sendUnreadable(String imageId) throws Exception {
    byte[] key = imageId.getBytes(StandardCharsets.UTF_8);
    raw.send(new ProducerRecord<>(Topics.LABELS.name(), key, new byte[] {1, 2, 3})).get();
  }

  /** An id of no image that lands in the same labels partition as {@code imageId}. */
  String idBeside(String imageId) {
    return idsBeside(imageId, "no-image", 1).get(0);
  }

  /** The first {@code count} ids {@code prefix-i} that land in the same partition as {@code id}. */
  List<String> idsBeside(String id, String prefix, int count) {
    int partitions = labels.partitionsFor(Topics.LABELS.name()).size();
    int target = partition(id, partitions);
    List<String> ids = new ArrayList<>(count);
    for (int i = 0; ids.size() < count; i++) {
      String candidate = prefix + "-" + i;
      if (partition(candidate, partitions) == target) {
        ids.add(candidate);
      }
    }
    return ids;
  }

  private static int partition(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  @Override
  public void close() {
    labels.close();
    versions.close();
    raw.close();
  }
}
