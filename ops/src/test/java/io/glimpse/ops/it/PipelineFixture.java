package io.glimpse.ops.it;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.mobilenet.UntrainedModels;
import io.glimpse.ops.embedded.EmbeddedStack;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.pipeline.dlq.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One test's world: a stack (the embedded broker and registry on 127.0.0.1, or containers), a tiny
 * real model artifact, and topics and an application id that no other test shares.
 */
final class PipelineFixture implements AutoCloseable {
  static final String MODEL_NAME = "tiny-it";
  static final String MODEL_VERSION = "1";
  static final int IMAGE_PARTITIONS = 4;

  private final TestStack stack;
  private final Path model;
  private final String scope;

  private PipelineFixture(TestStack stack, Path model, String scope) {
    this.stack = stack;
    this.model = model;
    this.scope = scope;
  }

  /**
   * Writes the model (α 0.25, 1×32×32, 10 classes) under {@code tmp}, starts an embedded stack
   * there and creates this test's topics: images and predictions with 4 partitions, the DLQ with 1.
   */
  static PipelineFixture start(Path tmp, String testName) throws ModelArtifactException {
    Path model = writeModel(tmp);
    return withTopics(model, testName, EmbeddedTestStack.start(tmp.resolve("stack")));
  }

  /**
   * The same world on {@code stack} (which the fixture closes): the model under {@code tmp} and
   * this test's topics.
   */
  static PipelineFixture start(Path tmp, String testName, TestStack stack)
      throws ModelArtifactException {
    Path model;
    try {
      model = writeModel(tmp);
    } catch (ModelArtifactException | RuntimeException e) {
      stack.close();
      throw e;
    }
    return withTopics(model, testName, stack);
  }

  private static Path writeModel(Path tmp) throws ModelArtifactException {
    Path model = tmp.resolve("model");
    UntrainedModels.write(
        model,
        MODEL_NAME,
        MODEL_VERSION,
        0.25f,
        new InputShape(1, 32, 32),
        UntrainedModels.numberedLabels(10),
        7);
    return model;
  }

  private static PipelineFixture withTopics(Path model, String testName, TestStack stack) {
    String scope = testName + "-" + UUID.randomUUID().toString().substring(0, 8);
    PipelineFixture fixture = new PipelineFixture(stack, model, scope);
    try {
      stack.createTopics(
          List.of(
              new NewTopic(fixture.imagesTopic(), IMAGE_PARTITIONS, (short) 1),
              new NewTopic(fixture.predictionsTopic(), IMAGE_PARTITIONS, (short) 1),
              new NewTopic(fixture.dlqTopic(), 1, (short) 1)));
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
    return fixture;
  }

  String imagesTopic() {
    return "images-" + scope;
  }

  String predictionsTopic() {
    return "predictions-" + scope;
  }

  String dlqTopic() {
    return "images.dlq-" + scope;
  }

  String applicationId() {
    return "glimpse-" + scope;
  }

  /** The embedded stack, for tests that stop its registry or read its broker's settings. */
  EmbeddedStack stack() {
    if (stack instanceof EmbeddedTestStack embedded) {
      return embedded.stack();
    }
    throw new IllegalStateException("This test needs the embedded stack, not " + stack);
  }

  /** Client settings for this stack (bootstrap servers, registry URL). */
  Map<String, Object> clientConfig() {
    return stack.clientConfig();
  }

  /**
   * The pipeline settings every test starts from: this stack, topics, application id and model, on
   * the CPU, an HTTP endpoint on a free port, short commits. Mutable: tests add their own.
   */
  Map<String, String> pipelineSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("bootstrap.servers", stack.bootstrapServers());
    settings.put("schema.registry.url", stack.schemaRegistryUrl());
    settings.put("application.id", applicationId());
    settings.put("commit.interval.ms", "100");
    settings.put(PipelineConfig.IMAGES_TOPIC, imagesTopic());
    settings.put(PipelineConfig.PREDICTIONS_TOPIC, predictionsTopic());
    settings.put(PipelineConfig.DLQ_TOPIC, dlqTopic());
    settings.put(PipelineConfig.MODEL_PATH, model.toString());
    settings.put(PipelineConfig.MODEL_DEVICE, "cpu");
    settings.put(PipelineConfig.HTTP_PORT, "0");
    // Classification tests; OnlineAccuracyTest turns the quality application on.
    settings.put(PipelineConfig.QUALITY_ENABLED, "false");
    return settings;
  }

  /**
   * The pipeline settings of an instance that follows {@link #MODEL_NAME}'s deployments, loading
   * each deployed version from {@code deployments}' store, instead of a pinned artifact; batches of
   * at most 8 images. Mutable, like {@link #pipelineSettings()}.
   */
  Map<String, String> followingSettings(Deployments deployments) {
    Map<String, String> settings = pipelineSettings();
    settings.remove(PipelineConfig.MODEL_PATH);
    settings.put(PipelineConfig.MODEL_NAME, MODEL_NAME);
    settings.put(PipelineConfig.MODEL_STORE, deployments.storeUri().toString());
    settings.put(PipelineConfig.BATCH_MAX_SIZE, "8");
    return settings;
  }

  /**
   * Settings for pipelines that a test SIGKILLs: small batches with a long linger, so batches are
   * in flight when the kill comes; short session and transaction timeouts, so a successor takes
   * over in seconds rather than a minute; the given guarantee and state directory.
   */
  Map<String, String> killableSettings(String guarantee, Path stateDir) {
    Map<String, String> settings = pipelineSettings();
    settings.put("processing.guarantee", guarantee);
    settings.put(PipelineConfig.BATCH_MAX_SIZE, "16");
    settings.put(PipelineConfig.BATCH_MAX_LINGER_MS, "200");
    settings.put("state.dir", stateDir.toString());
    // The broker's group.min.session.timeout.ms: a killed member leaves the group after 6 s.
    settings.put("session.timeout.ms", "6000");
    settings.put("heartbeat.interval.ms", "1000");
    settings.put("max.poll.interval.ms", "30000");
    // A killed EOS instance leaves its transaction open. Its successor's producer has another
    // transactional.id (with only in-memory stores Kafka Streams draws a new process id per
    // start), so it cannot fence that transaction: the broker aborts it once it times out, and
    // until then the successor cannot fetch the committed offsets of its partitions.
    settings.put("producer.transaction.timeout.ms", "5000");
    return settings;
  }

  /** A producer of this test's images. */
  ImageTraffic traffic() {
    return new ImageTraffic(clientConfig(), imagesTopic());
  }

  /**
   * Reads the dead-letter topic (read_committed) until it holds {@code expected} records or the
   * deadline passes: key → {@code glimpse.dlq.reason} header.
   */
  Map<String, String> deadLetterReasons(int expected, Duration deadline) {
    Map<String, Object> config = new HashMap<>(clientConfig());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, String> reasons = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(dlqTopic(), 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = System.nanoTime() + deadline.toNanos();
      while (reasons.size() < expected && System.nanoTime() < end) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          reasons.put(
              new String(record.key(), StandardCharsets.UTF_8),
              DeadLetterHeaders.get(record.headers(), DeadLetterHeaders.REASON));
        }
      }
    }
    return reasons;
  }

  /** A reader of this test's predictions, from the beginning. */
  PredictionLog predictions(IsolationLevel isolation) {
    return new PredictionLog(clientConfig(), predictionsTopic(), isolation);
  }

  @Override
  public void close() {
    stack.close();
  }
}
