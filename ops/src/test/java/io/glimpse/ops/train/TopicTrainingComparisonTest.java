package io.glimpse.ops.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.ops.RequiredPackage;
import io.glimpse.ops.embedded.EmbeddedStack;
import io.glimpse.ops.publish.DatasetImageSource;
import io.glimpse.ops.publish.EventPublisher;
import io.glimpse.schemas.serde.AvroSerdeConfig;
import io.glimpse.trainer.ProgressListener;
import io.glimpse.trainer.TrainingConfig;
import io.glimpse.trainer.TrainingJob;
import io.glimpse.trainer.TrainingResult;
import io.glimpse.trainer.data.Augmentation;
import io.glimpse.trainer.data.DataSource;
import io.glimpse.trainer.data.DatasetOptions;
import io.glimpse.trainer.data.FashionMnist;
import io.glimpse.trainer.data.ImageDataset;
import io.glimpse.trainer.data.KafkaTopicSource;
import io.glimpse.trainer.data.TopicRange;
import io.glimpse.trainer.data.TopicRange.PartitionRange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21's acceptance line, side by side in one run: the same Fashion-MNIST images trained from
 * the IDX files and from a pinned range of a topic (the training file's first n images, then the
 * test file's first n), with the same recipe and seed. Every run is timed from loading to the
 * written artifact; a short warm-up run comes first so that neither pays libtorch's start, and each
 * source runs twice in the order files, topic, topic, files, so that a machine that slows down or
 * speeds up during the test (other work on a shared VM) weighs on both alike. It prints both test
 * accuracies and wall times; the second topic run reads the range again, with the same digest and
 * the same accuracy.
 *
 * <p>In CI it trains 2 batches on 300 images. The benchmark is the same test, larger:
 *
 * <pre>
 * mvn -B -o -pl ops test -Dtest=TopicTrainingComparisonTest \
 *     -Dglimpse.compare.limit=10000 -Dglimpse.compare.maxBatches=0
 * </pre>
 */
class TopicTrainingComparisonTest {

  private static final String TOPIC = "fashion-train-and-test";
  private static final int LIMIT = Integer.getInteger("glimpse.compare.limit", 300);
  private static final int EPOCHS = Integer.getInteger("glimpse.compare.epochs", 1);
  private static final int MAX_BATCHES = Integer.getInteger("glimpse.compare.maxBatches", 2);

  @TempDir Path dir;

  @Test
  void aTopicRangeTrainsAsTheFilesDoOnTheSameImagesWithTheSameSeed() throws Exception {
    RequiredPackage.assumeInstalled(
        FashionMnist.isPresent(FashionMnist.DEFAULT_DIRECTORY), "dataset-fashion-mnist");
    FashionMnist files = FashionMnist.source(DatasetOptions.defaults().withLimit(LIMIT));
    ImageDataset train = files.read("train", LIMIT);
    ImageDataset test = files.read("t10k", LIMIT);
    try (EmbeddedStack stack =
        EmbeddedStack.builder().optDataDir(dir.resolve("stack")).build().start()) {
      stack.broker().createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1)));
      publish(stack, train, "fashion-train");
      publish(stack, test, "fashion-test");
      KafkaTopicSource topic = topicSource(stack, train.size(), test.size());

      run("warm-up", files, 2);
      TrainingResult fromFiles = run("files-1", files, MAX_BATCHES);
      TrainingResult fromTopic = run("topic-1", topic, MAX_BATCHES);
      String digest = topic.trainingRead().orElseThrow().sha256();
      TrainingResult fromTopicAgain = run("topic-2", topic, MAX_BATCHES);
      TrainingResult fromFilesAgain = run("files-2", files, MAX_BATCHES);

      System.out.println(table(fromFiles, fromFilesAgain, fromTopic, fromTopicAgain, digest));
      assertThat(topic.trainingRead().orElseThrow().sha256()).isEqualTo(digest);
      assertThat(fromTopicAgain.test().accuracy()).isEqualTo(fromTopic.test().accuracy());
      assertThat(fromTopic.test().total()).isEqualTo(fromFiles.test().total());
      assertThat(fromTopic.test().accuracy()).isCloseTo(fromFiles.test().accuracy(), within(0.003));
    }
  }

  private TrainingResult run(String name, DataSource source, int maxBatches) throws Exception {
    TrainingConfig config =
        TrainingConfig.builder()
            .setDataSource(source)
            .setModelName("fashion")
            .setVersion("1")
            .setOutputDirectory(dir.resolve(name))
            .optEpochs(EPOCHS)
            .optMaxBatchesPerEpoch(maxBatches)
            .optAugmentation(Augmentation.FLIP_ONLY) // the files' suggestion, for both
            .optSeed(42)
            .optDevice("cpu")
            .build();
    return new TrainingJob(config, ProgressListener.NONE).run();
  }

  private static KafkaTopicSource topicSource(EmbeddedStack stack, int trainCount, int testCount) {
    return KafkaTopicSource.builder()
        .setRange(new TopicRange(TOPIC, List.of(new PartitionRange(0, 0, trainCount))))
        .optTestRange(
            new TopicRange(
                TOPIC, List.of(new PartitionRange(0, trainCount, trainCount + testCount))))
        .setKafka(stack.clientConfig(), serde(stack))
        .setInputShape(new InputShape(1, 64, 64))
        .optClasses(FashionMnist.CLASSES)
        .optSplit(DatasetOptions.DEFAULT_VALIDATION_FRACTION, 42)
        .build();
  }

  private static void publish(EmbeddedStack stack, ImageDataset images, String name) {
    DatasetImageSource source = new DatasetImageSource(images, name, 0, "comparison", "run");
    try (EventPublisher publisher =
        new EventPublisher(stack.clientConfig(), serde(stack), TOPIC, 0, Duration.ofSeconds(30))) {
      for (int i = 0; i < source.count(); i++) {
        publisher.send(source.event(i));
      }
      publisher.flush();
      assertThat(publisher.takeFailures()).isEmpty();
    }
  }

  private static Map<String, Object> serde(EmbeddedStack stack) {
    return Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl());
  }

  /** Each source's time is the sum of its two runs, taken in the order A B B A. */
  private static String table(
      TrainingResult files,
      TrainingResult filesAgain,
      TrainingResult topic,
      TrainingResult topicAgain,
      String digest) {
    double fileSeconds = (files.wallTime().toMillis() + filesAgain.wallTime().toMillis()) / 1e3;
    double topicSeconds = (topic.wallTime().toMillis() + topicAgain.wallTime().toMillis()) / 1e3;
    return String.format(
        Locale.ROOT,
        "training from   test accuracy  validation accuracy  wall time (2 runs, A B B A)%n"
            + "files (IDX)     %11.2f %%  %17.2f %%  %7.1f s (%.1f + %.1f)%n"
            + "topic range     %11.2f %%  %17.2f %%  %7.1f s (%.1f + %.1f)%n"
            + "topic - files   %+11.2f pt  %+16.2f pt  %7.3fx%n"
            + "(%d training + %d test images, %d epoch(s), max batches %d, %d cores; topic"
            + " sha256:%s)",
        100 * files.test().accuracy(),
        100 * files.validation().accuracy(),
        fileSeconds,
        files.wallTime().toMillis() / 1e3,
        filesAgain.wallTime().toMillis() / 1e3,
        100 * topic.test().accuracy(),
        100 * topic.validation().accuracy(),
        topicSeconds,
        topic.wallTime().toMillis() / 1e3,
        topicAgain.wallTime().toMillis() / 1e3,
        100 * (topic.test().accuracy() - files.test().accuracy()),
        100 * (topic.validation().accuracy() - files.validation().accuracy()),
        topicSeconds / fileSeconds,
        LIMIT,
        files.test().total(),
        EPOCHS,
        MAX_BATCHES,
        Runtime.getRuntime().availableProcessors(),
        digest);
  }
}
