package io.glimpse.ops.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.glimpse.lifecycle.OnlineAccuracy;
import io.glimpse.ops.RequiredPackage;
import io.glimpse.ops.publish.DatasetImageSource;
import io.glimpse.ops.publish.LabelPublisher;
import io.glimpse.ops.publish.PublishDatasets;
import io.glimpse.pipeline.GlimpsePipeline;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.avro.ImageLabel;
import io.glimpse.schemas.avro.ModelQuality;
import io.glimpse.schemas.avro.Prediction;
import io.glimpse.schemas.topic.Topics;
import io.glimpse.trainer.data.DatasetKind;
import io.glimpse.trainer.data.FashionMnist;
import io.glimpse.trainer.data.ImageDataset;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21's acceptance for late labels: the 10,000 Fashion-MNIST test images published unlabelled,
 * then their labels with delays of 0 to 30 minutes of event time (simulated through the records'
 * timestamps), 10 % of them published before their images, 5 % twice, 100 beyond window + grace.
 * 9,900 join, 100 are late, duplicates count once, and the online accuracy is the accuracy of the
 * pipeline's own predictions on the joined images.
 */
class OnlineAccuracyTest {
  private static final int IMAGES = 10_000;
  private static final Duration WINDOW = Duration.ofMinutes(45);
  private static final Duration GRACE = Duration.ofMinutes(5);
  private static final Duration DEADLINE = Duration.ofMinutes(4);

  @TempDir Path tmp;

  @Test
  void lateEarlyDuplicatedAndTooLateLabelsGiveTheAccuracyOfThePredictions() throws Exception {
    RequiredPackage.assumeInstalled(
        FashionMnist.isPresent(FashionMnist.DEFAULT_DIRECTORY), "dataset-fashion-mnist");
    ImageDataset data =
        PublishDatasets.load(DatasetKind.FASHION_MNIST, FashionMnist.DEFAULT_DIRECTORY, IMAGES);
    DatasetImageSource images = new DatasetImageSource(data, "fashion-mnist", IMAGES, "it");
    try (PipelineFixture fixture = PipelineFixture.start(tmp, "online-accuracy")) {
      String scope = fixture.applicationId();
      Map<String, String> settings = fixture.pipelineSettings();
      settings.put(PipelineConfig.QUALITY_ENABLED, "true");
      settings.put(PipelineConfig.SHADOW_PREDICTIONS_TOPIC, scope + "-predictions.shadow");
      settings.put(PipelineConfig.LABELS_TOPIC, scope + "-labels");
      settings.put(PipelineConfig.LABELS_DLQ_TOPIC, scope + "-labels.dlq");
      settings.put(PipelineConfig.QUALITY_TOPIC, scope + "-model-quality");
      settings.put(PipelineConfig.ALERTS_TOPIC, scope + "-model-alerts");
      settings.put(PipelineConfig.VERSIONS_TOPIC, scope + "-model-versions");
      settings.put(PipelineConfig.QUALITY_JOIN_WINDOW_MS, Long.toString(WINDOW.toMillis()));
      settings.put(PipelineConfig.QUALITY_JOIN_GRACE_MS, Long.toString(GRACE.toMillis()));
      settings.put(
          PipelineConfig.QUALITY_LATE_RETENTION_MS, Long.toString(Duration.ofHours(2).toMillis()));
      settings.put(PipelineConfig.QUALITY_EMIT_INTERVAL_MS, "500");
      fixture
          .stack()
          .broker()
          .createTopics(
              List.of(
                  new NewTopic(settings.get(PipelineConfig.SHADOW_PREDICTIONS_TOPIC), 4, (short) 1),
                  new NewTopic(settings.get(PipelineConfig.LABELS_TOPIC), 4, (short) 1),
                  new NewTopic(settings.get(PipelineConfig.LABELS_DLQ_TOPIC), 1, (short) 1),
                  new NewTopic(settings.get(PipelineConfig.QUALITY_TOPIC), 1, (short) 1),
                  new NewTopic(settings.get(PipelineConfig.ALERTS_TOPIC), 1, (short) 1),
                  new NewTopic(settings.get(PipelineConfig.VERSIONS_TOPIC), 1, (short) 1)));

      // Event time: image i at t0 + i * 100 ms (17 minutes in all), three hours ago.
      Instant t0 = Instant.now().minus(Duration.ofHours(3));
      Map<String, String> truth = new HashMap<>();
      List<ImageLabel> early = new ArrayList<>();
      List<ImageLabel> later = new ArrayList<>();
      Random random = new Random(21);
      int tooLate = 0;
      for (int i = 0; i < IMAGES; i++) {
        ImageEvent event = images.event(i);
        String id = "img-" + i;
        // the fixture's model calls its classes class-0..class-9: label by class index
        String label = "class-" + FashionMnist.CLASSES.indexOf(event.getLabel());
        truth.put(id, label);
        Instant shown = t0.plusMillis(100L * i);
        if (i % 10 == 0) {
          early.add(label(id, label, shown.minus(Duration.ofMinutes(2))));
        } else if (i % 10 == 5 && tooLate < 100) {
          tooLate++;
          later.add(label(id, label, shown.plus(Duration.ofMinutes(60 + random.nextInt(20)))));
        } else {
          later.add(label(id, label, shown.plusMillis(random.nextLong(30 * 60_000L))));
        }
        if (i % 20 == 3) { // a second opinion, wrong, a minute later: the first one counts
          later.add(
              label(
                  id,
                  "class-" + ((FashionMnist.CLASSES.indexOf(event.getLabel()) + 1) % 10),
                  shown.plus(Duration.ofMinutes(31))));
        }
      }
      later.sort((a, b) -> a.getLabelTime().compareTo(b.getLabelTime()));

      publishLabels(fixture, settings, early);
      try (GlimpsePipeline pipeline = GlimpsePipeline.start(PipelineConfig.of(settings))) {
        publishImages(fixture, images, t0);
        Map<String, String> predicted = awaitPredictions(fixture);
        publishLabels(fixture, settings, later);

        OnlineAccuracy online = awaitTallies(fixture, settings.get(PipelineConfig.QUALITY_TOPIC));
        String metrics = pipeline.scrapeMetrics();

        long joinedRight = 0;
        long allRight = 0;
        int joinedCount = 0;
        List<String> lateIds =
            later.stream().filter(l -> isTooLate(l, t0)).map(ImageLabel::getImageId).toList();
        for (Map.Entry<String, String> e : truth.entrySet()) {
          boolean right = e.getValue().equals(predicted.get(e.getKey()));
          allRight += right ? 1 : 0;
          if (!lateIds.contains(e.getKey())) {
            joinedCount++;
            joinedRight += right ? 1 : 0;
          }
        }
        double expected = 100.0 * joinedRight / joinedCount;
        double whole = 100.0 * allRight / IMAGES;
        double measured = 100.0 * online.accuracy().orElseThrow();
        System.out.printf(
            "online accuracy %.3f %% over %d joined labels (late %d); the pipeline's predictions"
                + " on the same images: %.3f %%, on all %d: %.3f %%%n",
            measured, online.labelled(), online.lateLabels(), expected, IMAGES, whole);

        assertThat(online.labelled()).isEqualTo(9_900);
        assertThat(online.lateLabels()).isEqualTo(100);
        assertThat(online.unknownLabels()).isZero();
        assertThat(measured).isCloseTo(expected, within(1e-9));
        assertThat(measured).isCloseTo(whole, within(0.1));
        assertThat(counter(metrics, "glimpse_labels_duplicate_total")).isEqualTo(500);
        assertThat(counter(metrics, "glimpse_labels_unmatched_total")).isZero();
        assertThat(counter(metrics, "glimpse_labels_invalid_total")).isZero();
      }
    }
  }

  private static boolean isTooLate(ImageLabel label, Instant t0) {
    int i = Integer.parseInt(label.getImageId().substring("img-".length()));
    return Duration.between(t0.plusMillis(100L * i), label.getLabelTime())
            .compareTo(WINDOW.plus(GRACE))
        > 0;
  }

  private static ImageLabel label(String id, String label, Instant at) {
    return new ImageLabel(id, label, "it", at);
  }

  private static void publishLabels(
      PipelineFixture fixture, Map<String, String> settings, List<ImageLabel> labels) {
    try (LabelPublisher publisher =
        new LabelPublisher(
            fixture.clientConfig(),
            fixture.clientConfig(),
            settings.get(PipelineConfig.LABELS_TOPIC),
            Duration.ofSeconds(30))) {
      labels.forEach(publisher::send);
      publisher.flush();
    }
  }

  private static void publishImages(
      PipelineFixture fixture, DatasetImageSource images, Instant t0) {
    Map<String, Object> config = new HashMap<>(fixture.clientConfig());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    try (KafkaProducer<String, ImageEvent> producer =
        new KafkaProducer<>(
            config,
            Topics.IMAGES.keySerde(config).serializer(),
            Topics.IMAGES.valueSerde(config).serializer())) {
      for (int i = 0; i < IMAGES; i++) {
        String id = "img-" + i;
        long at = t0.toEpochMilli() + 100L * i;
        ImageEvent event = images.event(i);
        event.setId(id);
        event.setLabel(null); // unlabelled: the truth arrives later, on the labels topic
        event.setEventTime(Instant.ofEpochMilli(at));
        producer.send(new ProducerRecord<>(fixture.imagesTopic(), null, at, id, event));
      }
      producer.flush();
    }
  }

  private static Map<String, String> awaitPredictions(PipelineFixture fixture) {
    Map<String, String> top1 = new HashMap<>();
    try (KafkaConsumer<String, Prediction> consumer = consumer(fixture, Topics.PREDICTIONS)) {
      assign(consumer, fixture.predictionsTopic());
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (top1.size() < IMAGES) {
        assertThat(System.nanoTime()).as("predictions of %d images", IMAGES).isLessThan(deadline);
        for (ConsumerRecord<String, Prediction> r : consumer.poll(Duration.ofMillis(500))) {
          top1.put(r.value().getImageId(), r.value().getTopK().get(0).getLabel());
        }
      }
    }
    return top1;
  }

  private static OnlineAccuracy awaitTallies(PipelineFixture fixture, String topic) {
    Map<String, ModelQuality> latest = new HashMap<>();
    try (KafkaConsumer<String, ModelQuality> consumer = consumer(fixture, Topics.MODEL_QUALITY)) {
      assign(consumer, topic);
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (true) {
        for (ConsumerRecord<String, ModelQuality> r : consumer.poll(Duration.ofMillis(500))) {
          latest.put(r.key(), r.value());
        }
        OnlineAccuracy online = sum(latest.values());
        if (online.labelled() + online.lateLabels() >= 10_000) {
          return online;
        }
        assertThat(System.nanoTime())
            .as(
                "tallies of 10,000 labels; so far %s joined, %s late",
                online.labelled(), online.lateLabels())
            .isLessThan(deadline);
      }
    }
  }

  private static OnlineAccuracy sum(Collection<ModelQuality> tallies) {
    return OnlineAccuracy.of(PipelineFixture.MODEL_NAME, PipelineFixture.MODEL_VERSION, tallies);
  }

  private static <V> KafkaConsumer<String, V> consumer(
      PipelineFixture fixture, io.glimpse.schemas.topic.Topic<String, V> topic) {
    Map<String, Object> config = new HashMap<>(fixture.clientConfig());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaConsumer<>(
        config, topic.keySerde(config).deserializer(), topic.valueSerde(config).deserializer());
  }

  private static void assign(KafkaConsumer<?, ?> consumer, String topic) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  private static double counter(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(metrics);
    double total = 0;
    while (m.find()) {
      total += Double.parseDouble(m.group(2));
    }
    return total;
  }
}
