package io.glimpse.ops.evaluation;

import io.glimpse.lifecycle.KafkaConnection;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.image.ImageDecoder;
import io.glimpse.ops.evaluation.EvaluationReport.PartitionRange;
import io.glimpse.pipeline.batch.BatchOutcome;
import io.glimpse.pipeline.batch.PendingRecord;
import io.glimpse.pipeline.batch.RetriableBatchException;
import io.glimpse.pipeline.dlq.DeadLetterHeaders;
import io.glimpse.pipeline.inference.ImageBatchHandler;
import io.glimpse.pipeline.inference.PredictionEncoder;
import io.glimpse.pipeline.metrics.PipelineMetrics;
import io.glimpse.pipeline.serving.ModelSlot;
import io.glimpse.pipeline.serving.ServingModel;
import io.glimpse.schemas.avro.Prediction;
import io.glimpse.schemas.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a range of {@code images} through one model version and stops at the end of the range:
 * the pipeline's own {@link ImageBatchHandler} classifies each batch (same decoding, preprocessing,
 * forward pass and dead letters as serving), predictions go to {@code predictions.eval} keyed as
 * the images were, dead letters to {@code images.dlq.eval} with a {@value #MODEL_VERSION_HEADER}
 * header. No consumer group and no state: partitions are read one after the other in offset order
 * and cut into batches of a fixed size, so the same range gives the same predictions and the same
 * {@link EvaluationReport.Outcome} every time.
 */
public final class ReplayEvaluation {
  /** The header naming the version on the dead letters of an evaluation. */
  public static final String MODEL_VERSION_HEADER = "glimpse.model.version";

  private static final Logger LOG = LoggerFactory.getLogger(ReplayEvaluation.class);

  private final Builder settings;

  private ReplayEvaluation(Builder settings) {
    this.settings = settings;
  }

  /**
   * Returns a builder; the connection, model, artifact and range are required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs the replay to the end of the range.
   *
   * @return what it did
   * @throws EvaluationException when the artifact cannot be served, the topic is missing, Kafka or
   *     the registry fails, or the model fails on whole batches
   */
  public EvaluationReport run() throws EvaluationException {
    long started = System.nanoTime();
    ServingModel model = load();
    KafkaConnection kafka = settings.kafka;
    try (ModelSlot slot = ModelSlot.serving(model);
        KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(
                consumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
        Deserializer<Prediction> predictions =
            Topics.PREDICTIONS_EVAL.valueSerde(kafka.serdeConfig()).deserializer()) {
      ImageBatchHandler handler =
          new ImageBatchHandler(
              slot,
              Topics.IMAGES.valueSerde(kafka.serdeConfig()).deserializer(),
              new PredictionEncoder(
                  Topics.PREDICTIONS_EVAL.valueSerde(kafka.serdeConfig()).serializer(),
                  settings.outputTopic),
              ImageDecoder.builder().build(),
              settings.topK,
              new PipelineMetrics(new SimpleMeterRegistry()));
      Run run = new Run(handler, producer, predictions);
      List<PartitionRange> ranges = new ArrayList<>();
      for (Map.Entry<TopicPartition, long[]> e :
          settings.range.resolve(consumer, partitions(consumer)).entrySet()) {
        long[] range = e.getValue();
        ranges.add(new PartitionRange(e.getKey().partition(), range[0], range[1]));
        replay(consumer, e.getKey(), range[0], range[1], run);
      }
      producer.flush();
      run.checkSends();
      EvaluationReport.Outcome outcome = run.outcome(ranges);
      long elapsed = (System.nanoTime() - started) / 1_000_000;
      LOG.info(
          "Replayed {} records of {} through {} v{} in {} ms",
          outcome.records(),
          settings.imagesTopic,
          settings.modelName,
          settings.version,
          elapsed);
      return new EvaluationReport(outcome, elapsed);
    } catch (KafkaException e) {
      throw new EvaluationException(
          "the replay failed talking to "
              + kafka
              + ": "
              + e.getMessage()
              + "; check that both"
              + " are up, then run it again (a replay of the same range gives the same result)",
          e);
    } catch (RetriableBatchException | ImageBatchHandler.EngineFailure e) {
      throw new EvaluationException(
          e.getMessage() + "; run the evaluation again once that is fixed (it is idempotent)", e);
    }
  }

  private ServingModel load() throws EvaluationException {
    ServingModel model;
    try {
      model =
          ServingModel.load(
              settings.artifact, Optional.ofNullable(settings.sha256), settings.device);
    } catch (ModelArtifactException e) {
      throw new EvaluationException(
          settings.modelName + " v" + settings.version + " cannot be served: " + e.getMessage(), e);
    }
    if (!model.name().equals(settings.modelName) || !model.version().equals(settings.version)) {
      model.close();
      throw new EvaluationException(
          settings.artifact
              + " holds "
              + model.name()
              + " v"
              + model.version()
              + ", not "
              + settings.modelName
              + " v"
              + settings.version
              + "; re-register the version",
          null);
    }
    return model;
  }

  private List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer) throws EvaluationException {
    List<PartitionInfo> infos =
        consumer.partitionsFor(settings.imagesTopic, settings.kafka.timeout());
    if (infos == null || infos.isEmpty()) {
      throw new EvaluationException(
          "topic " + settings.imagesTopic + " does not exist; nothing to replay", null);
    }
    return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
  }

  private void replay(
      KafkaConsumer<byte[], byte[]> consumer,
      TopicPartition partition,
      long start,
      long end,
      Run run)
      throws EvaluationException {
    consumer.assign(List.of(partition));
    consumer.seek(partition, start);
    List<PendingRecord> batch = new ArrayList<>(settings.batchSize);
    long quietSince = System.nanoTime();
    while (consumer.position(partition) < end) {
      boolean progressed = false;
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        progressed = true;
        if (record.offset() >= end) {
          continue;
        }
        batch.add(pending(record));
        if (batch.size() == settings.batchSize) {
          run.classify(batch);
          batch.clear();
        }
      }
      if (progressed) {
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince > settings.kafka.timeout().toNanos()) {
        throw new EvaluationException(
            "no record of "
                + partition
                + " arrived for "
                + settings.kafka.timeout().toSeconds()
                + " s at offset "
                + consumer.position(partition)
                + " (range end "
                + end
                + "); check that Kafka is up",
            null);
      }
    }
    if (!batch.isEmpty()) {
      run.classify(batch);
    }
  }

  private static PendingRecord pending(ConsumerRecord<byte[], byte[]> record) {
    return new PendingRecord(
        record.topic(),
        record.partition(),
        record.offset(),
        record.timestamp(),
        System.currentTimeMillis(),
        record.key(),
        record.value(),
        record.headers());
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> config = settings.kafka.clientConfig();
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "glimpse-evaluate");
    return config;
  }

  private Map<String, Object> producerConfig() {
    Map<String, Object> config = settings.kafka.clientConfig();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "glimpse-evaluate");
    return config;
  }

  /** One run's tallies and outputs. */
  private final class Run {
    private final ImageBatchHandler handler;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Deserializer<Prediction> predictions;
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
    private final Map<String, Long> deadLetters = new TreeMap<>();
    private long records;
    private long predicted;
    private long labelled;
    private long correct;

    Run(
        ImageBatchHandler handler,
        KafkaProducer<byte[], byte[]> producer,
        Deserializer<Prediction> predictions) {
      this.handler = handler;
      this.producer = producer;
      this.predictions = predictions;
    }

    void classify(List<PendingRecord> batch) throws EvaluationException {
      checkSends();
      records += batch.size();
      for (BatchOutcome outcome : handler.handle(batch, System.currentTimeMillis())) {
        PendingRecord source = outcome.source();
        if (outcome instanceof BatchOutcome.Predicted p) {
          count(predictions.deserialize(settings.outputTopic, p.prediction()));
          send(settings.outputTopic, source, p.prediction(), source.headers());
        } else if (outcome instanceof BatchOutcome.Rejected r) {
          deadLetters.merge(r.deadLetter().reason().name(), 1L, Long::sum);
          Headers headers = DeadLetterHeaders.of(source, r.deadLetter());
          headers.add(MODEL_VERSION_HEADER, settings.version.getBytes(StandardCharsets.UTF_8));
          send(settings.deadLetterTopic, source, source.value(), headers);
        }
      }
    }

    private void count(Prediction prediction) {
      predicted++;
      if (prediction.getLabel() != null) {
        labelled++;
        if (!prediction.getTopK().isEmpty()
            && prediction.getTopK().get(0).getLabel().equals(prediction.getLabel())) {
          correct++;
        }
      }
    }

    private void send(String topic, PendingRecord source, byte[] value, Headers headers) {
      producer.send(
          new ProducerRecord<>(topic, null, source.timestamp(), source.key(), value, headers),
          (metadata, e) -> {
            if (e != null) {
              sendFailure.compareAndSet(null, e);
            }
          });
    }

    void checkSends() throws EvaluationException {
      Exception e = sendFailure.get();
      if (e != null) {
        throw new EvaluationException(
            "cannot write the evaluation's output to Kafka: " + e.getMessage(), e);
      }
    }

    EvaluationReport.Outcome outcome(List<PartitionRange> ranges) {
      return new EvaluationReport.Outcome(
          settings.modelName,
          settings.version,
          settings.imagesTopic,
          settings.outputTopic,
          List.copyOf(ranges),
          records,
          predicted,
          labelled,
          correct,
          Map.copyOf(deadLetters));
    }
  }

  /** Builder in DJL's words: {@code setX} required, {@code optX} optional. */
  public static final class Builder {
    private KafkaConnection kafka;
    private String modelName;
    private String version;
    private Path artifact;
    private String sha256;
    private ReplayRange range;
    private String imagesTopic = Topics.IMAGES.name();
    private String outputTopic = Topics.PREDICTIONS_EVAL.name();
    private String deadLetterTopic = Topics.IMAGES_DLQ_EVAL.name();
    private int batchSize = 32;
    private int topK = 5;
    private String device = "auto";

    private Builder() {}

    /** Sets Kafka and the registry. Required. */
    public Builder setKafka(KafkaConnection kafka) {
      this.kafka = kafka;
      return this;
    }

    /** Sets the model name and version the artifact must hold. Required. */
    public Builder setModel(String modelName, String version) {
      this.modelName = modelName;
      this.version = version;
      return this;
    }

    /** Sets the artifact directory or .zip to serve. Required. */
    public Builder setArtifact(Path artifact) {
      this.artifact = artifact;
      return this;
    }

    /** Sets the range of the images topic to replay. Required. */
    public Builder setRange(ReplayRange range) {
      this.range = range;
      return this;
    }

    /** Insists on the manifest's sha256 (as {@code model-versions} records it). */
    public Builder optSha256(String sha256) {
      this.sha256 = sha256;
      return this;
    }

    /** Reads another topic than {@code images}. */
    public Builder optImagesTopic(String imagesTopic) {
      this.imagesTopic = imagesTopic;
      return this;
    }

    /**
     * Writes predictions and dead letters elsewhere than {@code predictions.eval}, {@code
     * images.dlq.eval}.
     */
    public Builder optOutputTopics(String predictions, String deadLetters) {
      this.outputTopic = predictions;
      this.deadLetterTopic = deadLetters;
      return this;
    }

    /** Images per forward pass; 32 unless set. */
    public Builder optBatchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** Classes per prediction; 5 unless set. */
    public Builder optTopK(int topK) {
      this.topK = topK;
      return this;
    }

    /** {@code auto} (the default), {@code cpu}, {@code gpu} or {@code gpu:N}. */
    public Builder optDevice(String device) {
      this.device = device;
      return this;
    }

    /**
     * Checks the settings and builds the evaluation.
     *
     * @return the evaluation, not started
     * @throws IllegalArgumentException when a required setting is missing or a value is out of
     *     range
     */
    public ReplayEvaluation build() {
      if (kafka == null || modelName == null || version == null || artifact == null) {
        throw new IllegalArgumentException("setKafka, setModel and setArtifact are required");
      }
      if (range == null) {
        throw new IllegalArgumentException("setRange is required");
      }
      if (batchSize < 1 || batchSize > 4096) {
        throw new IllegalArgumentException("the batch size must be 1 to 4096, got " + batchSize);
      }
      if (topK < 1) {
        throw new IllegalArgumentException("top k must be at least 1, got " + topK);
      }
      return new ReplayEvaluation(this);
    }
  }
}
