package io.glimpse.ops.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.lifecycle.KafkaConnection;
import io.glimpse.lifecycle.ModelCatalog;
import io.glimpse.lifecycle.ModelDeployer;
import io.glimpse.lifecycle.Publication;
import io.glimpse.lifecycle.VersionPublisher;
import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.mobilenet.UntrainedModels;
import io.glimpse.model.store.FileModelStore;
import io.glimpse.ops.RequiredPackage;
import io.glimpse.ops.evaluation.ReplayRange;
import io.glimpse.ops.publish.DatasetImageSource;
import io.glimpse.ops.retrain.CandidateJudge;
import io.glimpse.ops.retrain.CandidateTrainer;
import io.glimpse.ops.retrain.RetrainLoop;
import io.glimpse.ops.retrain.RetrainRound;
import io.glimpse.ops.retrain.RetrainSettings;
import io.glimpse.pipeline.GlimpsePipeline;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.schemas.avro.AlertKind;
import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.avro.ModelAlert;
import io.glimpse.schemas.avro.ModelComparison;
import io.glimpse.schemas.avro.ModelVersion;
import io.glimpse.schemas.avro.Prediction;
import io.glimpse.schemas.topic.Topics;
import io.glimpse.trainer.data.DataSource;
import io.glimpse.trainer.data.DataSplits;
import io.glimpse.trainer.data.DatasetException;
import io.glimpse.trainer.data.DatasetOptions;
import io.glimpse.trainer.data.FashionMnist;
import io.glimpse.trainer.data.ImageDataset;
import io.glimpse.trainer.data.TopicRange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21's acceptance for continuous retraining: a weak (untrained) v1 serves; 20,000 labelled
 * Fashion-MNIST training images stream in at 500 a second, a bad record after every thousandth;
 * {@code --every 5000} retrains four times, each candidate fine-tuned on its round's images and
 * judged on the newest 20 % it never saw. At least one is promoted, and only candidates that beat
 * the serving version on those images; a candidate trained on shuffled labels is refused with its
 * reason on {@code model-comparisons}; a pinned version stays; and while it all runs, every image
 * is either predicted or dead-lettered.
 */
class RetrainLoopTest {
  private static final String MODEL = "fashion";
  private static final int IMAGES = 20_000;
  private static final int BAD_EVERY = 1_000;
  private static final Duration DEADLINE = Duration.ofMinutes(5);

  @TempDir Path tmp;

  @Test
  void promotesOnlyBetterCandidatesRefusesShuffledLabelsAndKeepsAPin() throws Exception {
    RequiredPackage.assumeInstalled(
        FashionMnist.isPresent(FashionMnist.DEFAULT_DIRECTORY), "dataset-fashion-mnist");
    ImageDataset train = FashionMnist.source(new DatasetOptions(null, 0, 0.05, 42)).load().train();
    DatasetImageSource images = new DatasetImageSource(train, "fashion-mnist", 0, "it");

    try (PipelineFixture fixture = PipelineFixture.start(tmp, "retrain")) {
      KafkaConnection kafka =
          KafkaConnection.builder()
              .setBootstrapServers(fixture.stack().bootstrapServers())
              .setSchemaRegistryUrl(fixture.stack().schemaRegistryUrl())
              .optTimeout(Duration.ofSeconds(30))
              .build();
      FileModelStore store = new FileModelStore(tmp.resolve("store"));
      Path weak = tmp.resolve("v1");
      UntrainedModels.write(
          weak, MODEL, "1", 0.25f, new InputShape(1, 32, 32), FashionMnist.CLASSES, 3);
      Publication.publish(weak, store, VersionPublisher.of(kafka), true, true, "weak v1");

      Map<String, String> settings = fixture.pipelineSettings();
      settings.put(PipelineConfig.IMAGES_TOPIC, Topics.IMAGES.name());
      settings.put(PipelineConfig.PREDICTIONS_TOPIC, Topics.PREDICTIONS.name());
      settings.put(PipelineConfig.DLQ_TOPIC, Topics.IMAGES_DLQ.name());
      settings.remove(PipelineConfig.MODEL_PATH);
      settings.put(PipelineConfig.MODEL_NAME, MODEL);
      settings.put(PipelineConfig.MODEL_STORE, store.uri().toString());

      RetrainSettings retrain =
          RetrainSettings.builder()
              .setModel(MODEL)
              .setKafka(kafka)
              .setStore(store)
              .setWorkDirectory(tmp.resolve("runs"))
              .optEvery(5_000)
              .optEpochs(2)
              .optMaxRounds(4)
              .build();
      List<RetrainRound> rounds;
      List<Long> sent = new ArrayList<>();
      try (GlimpsePipeline pipeline = GlimpsePipeline.start(PipelineConfig.of(settings));
          RetrainLoop loop =
              new RetrainLoop(retrain, Map.of(), round -> System.out.println(round.summary()))) {
        long ready = System.nanoTime() + DEADLINE.toNanos();
        while (pipeline.state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING) {
          assertThat(System.nanoTime()).as("pipeline running").isLessThan(ready);
          LockSupport.parkNanos(50_000_000L);
        }
        Thread publisher =
            new Thread(() -> sent.add(publish(fixture, images, 0, IMAGES)), "it-publisher");
        publisher.start();
        rounds = loop.run();
        publisher.join();

        // Conservation while training ran: every image is predicted or dead-lettered.
        long total = sent.get(0);
        awaitConservation(fixture, total);
        printLatency(fixture, rounds);
        // The running pipeline hot-reloaded what the loop promoted.
        String deployed = new ModelCatalog(kafka).deployment(MODEL).orElseThrow().getVersion();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!deployed.equals(pipeline.servingStatus().servedVersion())) {
          assertThat(System.nanoTime()).as("serving v%s", deployed).isLessThan(deadline);
          LockSupport.parkNanos(50_000_000L);
        }
      }

      assertThat(rounds).hasSize(4);
      assertThat(rounds).anyMatch(RetrainRound::promoted);
      for (RetrainRound round : rounds) {
        assertThat(round.comparedImages())
            .as("round %d", round.number())
            .isGreaterThanOrEqualTo(900);
        if (round.promoted()) {
          assertThat(round.candidateAccuracy())
              .as("round %d: %s", round.number(), round.reason())
              .isGreaterThan(round.servingAccuracy());
        }
        ModelComparison recorded =
            new ModelCatalog(kafka)
                .comparison(MODEL, round.candidateVersion(), round.servingVersion())
                .orElseThrow();
        assertThat(recorded.getDecision())
            .isEqualTo(round.promoted() ? CandidateJudge.PROMOTED : CandidateJudge.REFUSED);
        assertThat(recorded.getDecisionReason()).isEqualTo(round.reason());
      }
      ModelCatalog catalog = new ModelCatalog(kafka);
      String serving = catalog.deployment(MODEL).orElseThrow().getVersion();
      assertThat(serving).isNotEqualTo("1");

      // A candidate trained on shuffled labels, judged on the last round's held-out images.
      RetrainRound last = rounds.get(rounds.size() - 1);
      ModelVersion servingVersion = catalog.version(MODEL, serving).orElseThrow();
      CandidateTrainer trainer = new CandidateTrainer(retrain);
      ModelVersion shuffled =
          trainer.train(
              servingVersion, shuffledLabels(trainer.rangeOf(servingVersion, last.training())));
      CandidateJudge judge = new CandidateJudge(retrain);
      CandidateJudge.Decision refused =
          judge.judge(shuffled, servingVersion, range(last.holdout()), "shuffled labels");
      System.out.println("shuffled labels: " + refused.reason());
      assertThat(refused.promoted()).isFalse();
      assertThat(refused.reason()).contains("did not pass the gate: accuracy");
      assertThat(
              catalog.comparison(MODEL, shuffled.getVersion(), serving).orElseThrow().getDecision())
          .isEqualTo(CandidateJudge.REFUSED);

      // A drift alert starts a round early (after every / 5 labelled images); while the serving
      // version is pinned, its candidate is trained and judged but refused, and the pin stays.
      new ModelDeployer(kafka, store).pin(MODEL, serving, "frozen for the test", "it");
      RetrainSettings onDrift =
          RetrainSettings.builder()
              .setModel(MODEL)
              .setKafka(kafka)
              .setStore(store)
              .setWorkDirectory(tmp.resolve("runs"))
              .optEvery(5_000)
              .optMinOnDrift(1_000)
              .optMaxRounds(1)
              .build();
      List<RetrainRound> drifted;
      try (RetrainLoop loop = new RetrainLoop(onDrift, Map.of(), round -> {})) {
        alertDrift(fixture, serving);
        publish(fixture, images, IMAGES, 1_000);
        drifted = loop.run();
      }
      RetrainRound pinned = drifted.get(0);
      System.out.println(pinned.summary());
      assertThat(pinned.trigger()).startsWith("drift alert");
      assertThat(pinned.promoted()).isFalse();
      assertThat(pinned.reason()).contains("is pinned");
      assertThat(catalog.deployment(MODEL).orElseThrow().getVersion()).isEqualTo(serving);
    }
  }

  private static ReplayRange range(TopicRange range) {
    Map<Integer, Long> from = new HashMap<>();
    Map<Integer, Long> to = new HashMap<>();
    range
        .partitions()
        .forEach(
            p -> {
              from.put(p.partition(), p.start());
              to.put(p.partition(), p.end());
            });
    return new ReplayRange(new ReplayRange.PerPartition(from), new ReplayRange.PerPartition(to));
  }

  /** Images paced at about 500 a second, a bad record after every {@value #BAD_EVERY}th. */
  private static long publish(
      PipelineFixture fixture, DatasetImageSource images, int from, int count) {
    Map<String, Object> config = new HashMap<>(fixture.clientConfig());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    var serializer = Topics.IMAGES.valueSerde(config).serializer();
    long sent = 0;
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      long start = System.nanoTime();
      for (int i = from; i < from + count; i++) {
        String id = "img-" + i;
        ImageEvent event = images.event(i);
        event.setId(id);
        send(producer, id, serializer.serialize(Topics.IMAGES.name(), event));
        sent++;
        if (i % BAD_EVERY == BAD_EVERY - 1) { // and a bad record beside the labelled images
          send(producer, "bad-" + i, "not avro".getBytes(StandardCharsets.UTF_8));
          sent++;
        }
        long due = start + (i - from + 1) * 2_000_000L;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
      }
      producer.flush();
    }
    return sent;
  }

  private static void alertDrift(PipelineFixture fixture, String version) {
    Map<String, Object> config = new HashMap<>(fixture.clientConfig());
    try (KafkaProducer<String, ModelAlert> producer =
        new KafkaProducer<>(
            config,
            Topics.MODEL_ALERTS.keySerde(config).serializer(),
            Topics.MODEL_ALERTS.valueSerde(config).serializer())) {
      ModelAlert alert =
          ModelAlert.newBuilder()
              .setModelName(MODEL)
              .setVersion(version)
              .setKind(AlertKind.DRIFT)
              .setClassPsi(0.5)
              .setConfidencePsi(0.1)
              .setThreshold(0.1)
              .setWindowImages(2_000)
              .setReference("its first 2000 predictions")
              .setMessage("test drift")
              .setAlertTime(Instant.now())
              .build();
      producer.send(
          new ProducerRecord<>(
              Topics.MODEL_ALERTS.name(), Topics.modelVersionKey(MODEL, version), alert));
      producer.flush();
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String id, byte[] value) {
    producer.send(
        new ProducerRecord<>(Topics.IMAGES.name(), id.getBytes(StandardCharsets.UTF_8), value));
  }

  private static void awaitConservation(PipelineFixture fixture, long total) {
    Set<String> predicted = new HashSet<>();
    long dead = 0;
    Map<String, Object> config = new HashMap<>(fixture.clientConfig());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(Topics.PREDICTIONS.name(), Topics.IMAGES_DLQ.name())) {
        consumer
            .partitionsFor(topic)
            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (predicted.size() + dead < total) {
        assertThat(System.nanoTime())
            .as("%d predicted + %d dead letters of %d images", predicted.size(), dead, total)
            .isLessThan(deadline);
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.topic().equals(Topics.IMAGES_DLQ.name())) {
            dead++;
          } else {
            predicted.add(new String(r.key(), StandardCharsets.UTF_8));
          }
        }
      }
    }
    System.out.printf(
        "images %d = predicted %d + dead letters %d%n", total, predicted.size(), dead);
    assertThat(predicted.size() + dead).isEqualTo(total);
    assertThat(dead).isEqualTo(IMAGES / BAD_EVERY);
  }

  /**
   * The pipeline's end-to-end latency while nothing else ran, while a round trained, and while it
   * judged (two replays of the held-out images in this JVM); printed, not asserted.
   */
  private static void printLatency(PipelineFixture fixture, List<RetrainRound> rounds) {
    List<Long> idle = new ArrayList<>();
    List<Long> training = new ArrayList<>();
    List<Long> judging = new ArrayList<>();
    Map<String, Object> config = new HashMap<>(fixture.clientConfig());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, Prediction> consumer =
        new KafkaConsumer<>(
            config,
            Topics.PREDICTIONS.keySerde(config).deserializer(),
            Topics.PREDICTIONS.valueSerde(config).deserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.PREDICTIONS.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, Prediction> r : consumer.poll(Duration.ofMillis(500))) {
          Instant at = r.value().getProcessedTime();
          long millis = r.value().getTimings().getEndToEndMs();
          RetrainRound round =
              rounds.stream()
                  .filter(
                      x ->
                          !at.isBefore(x.started())
                              && at.isBefore(
                                  x.started().plus(x.trainingTime()).plus(x.judgingTime())))
                  .findFirst()
                  .orElse(null);
          if (round == null) {
            idle.add(millis);
          } else if (at.isBefore(round.started().plus(round.trainingTime()))) {
            training.add(millis);
          } else {
            judging.add(millis);
          }
        }
      }
    }
    System.out.printf(
        "end-to-end latency p50/p95/p99 at 500 images/s: %s with no round running, %s while a"
            + " round trained, %s while it judged%n",
        percentiles(idle), percentiles(training), percentiles(judging));
  }

  private static String percentiles(List<Long> values) {
    return String.format(
        "%d/%d/%d ms (%d images)",
        percentile(values, 0.50),
        percentile(values, 0.95),
        percentile(values, 0.99),
        values.size());
  }

  private static long percentile(List<Long> values, double q) {
    if (values.isEmpty()) {
      return -1;
    }
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
  }

  /** The same data, its training labels shuffled: a candidate that learnt nothing true. */
  private static DataSource shuffledLabels(DataSource source) {
    return new DataSource() {
      @Override
      public DataSplits load() throws DatasetException {
        DataSplits splits = source.load();
        return new DataSplits(shuffled(splits.train()), splits.validation(), splits.test());
      }

      @Override
      public String describe() {
        return "shuffled labels of " + source.describe();
      }
    };
  }

  private static ImageDataset shuffled(ImageDataset data) {
    int[] labels = new int[data.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = data.label(i);
    }
    Random random = new Random(7);
    for (int i = labels.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = labels[i];
      labels[i] = labels[j];
      labels[j] = t;
    }
    return new ImageDataset() {
      @Override
      public List<String> classes() {
        return data.classes();
      }

      @Override
      public int size() {
        return data.size();
      }

      @Override
      public int channels() {
        return data.channels();
      }

      @Override
      public int height() {
        return data.height();
      }

      @Override
      public int width() {
        return data.width();
      }

      @Override
      public int label(int index) {
        return labels[index];
      }

      @Override
      public void copyPixels(int index, byte[] dest, int offset) {
        data.copyPixels(index, dest, offset);
      }
    };
  }
}
