package io.glimpse.ops.it;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.ModelArtifact;
import io.glimpse.model.mobilenet.UntrainedModels;
import io.glimpse.model.store.FileModelStore;
import io.glimpse.model.store.ModelStore;
import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.topic.Topics;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A test's model store and deployments topic: writes tiny untrained versions into a real {@link
 * FileModelStore} and deploys them by publishing {@code ModelDeployment} records, as the operator
 * commands do.
 */
final class Deployments implements AutoCloseable {
  private final ModelStore store;
  private final Path scratch;
  private final String topic;
  private final KafkaProducer<String, ModelDeployment> producer;

  Deployments(Path root, Map<String, Object> clientConfig, String topic) throws Exception {
    Files.createDirectories(root.resolve("store"));
    this.store = new FileModelStore(root.resolve("store"));
    this.scratch = Files.createDirectories(root.resolve("scratch"));
    this.topic = topic;
    this.producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", clientConfig.get("bootstrap.servers")),
            Topics.MODEL_DEPLOYMENTS.keySerde(clientConfig).serializer(),
            Topics.MODEL_DEPLOYMENTS.valueSerde(clientConfig).serializer());
  }

  /** The store's URI, for {@code glimpse.model.store}. */
  URI storeUri() {
    return store.uri();
  }

  /** Stores an untrained α 0.25 version with ten numbered labels; returns its artifact URI. */
  URI storeVersion(String model, String version, InputShape shape, int seed) throws Exception {
    Path artifact = scratch.resolve(model + "-" + version);
    UntrainedModels.write(
        artifact, model, version, 0.25f, shape, UntrainedModels.numberedLabels(10), seed);
    return store.put(artifact, model, version);
  }

  /** The sha256 of a stored version's manifest, as a deployment names it. */
  static String manifestSha256(URI artifactUri) throws Exception {
    return ModelArtifact.manifestSha256(Path.of(artifactUri));
  }

  /** Deploys a version with its true sha256 and waits until the broker has the record. */
  void deploy(String model, String version, URI artifactUri) throws Exception {
    deploy(model, version, artifactUri.toString(), manifestSha256(artifactUri));
  }

  /** Deploys whatever the arguments say (also what a pipeline must refuse). */
  void deploy(String model, String version, String artifactUri, String sha256) throws Exception {
    ModelDeployment deployment =
        ModelDeployment.newBuilder()
            .setModelName(model)
            .setVersion(version)
            .setArtifactUri(artifactUri)
            .setSha256(sha256)
            .setReason("test")
            .setDeployedTime(Instant.now())
            .build();
    producer.send(new ProducerRecord<>(topic, model, deployment)).get();
  }

  @Override
  public void close() {
    producer.close();
  }
}
