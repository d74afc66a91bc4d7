package io.glimpse.ops.cli;

import io.glimpse.lifecycle.KafkaConnection;
import io.glimpse.model.artifact.InputShape;
import io.glimpse.ops.evaluation.ReplayRange;
import io.glimpse.trainer.data.KafkaTopicSource;
import io.glimpse.trainer.data.TopicRange;
import io.glimpse.trainer.data.TopicRange.PartitionRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Option;

/**
 * The options of {@code glimpse train} that take the images from a range of a topic, and the
 * pinning of that range: each position is resolved to an offset per partition once, before training
 * starts (an ISO-8601 time with {@code offsetsForTimes}, {@code latest} as the end of each
 * partition now), so images that arrive during the run are not part of it and the manifest records
 * exactly what was read.
 */
final class TopicTrainingOptions {

  @Option(
      names = "--from-topic",
      paramLabel = "<topic>",
      description =
          "Train on the labelled ImageEvents of this topic (e.g. images) instead of --dataset;"
              + " each event's label field is its class, unlabelled events are skipped and"
              + " counted.")
  String topic;

  @Option(
      names = "--from-position",
      paramLabel = "<offset|time>",
      description =
          "With --from-topic: where the range starts in every partition: an offset, an ISO-8601"
              + " time (2026-11-30T08:00:00Z: the first record at or after it) or earliest"
              + " (default: ${DEFAULT-VALUE}).")
  String from = "earliest";

  @Option(
      names = "--to-position",
      paramLabel = "<offset|time>",
      description =
          "With --from-topic: where the range ends (exclusive), an offset, an ISO-8601 time or"
              + " latest: the end of each partition when the run starts (default:"
              + " ${DEFAULT-VALUE}).")
  String to = "latest";

  @Option(
      names = "--partitions",
      paramLabel = "<n,...>",
      split = ",",
      description = "With --from-topic: read only these partitions (default: all).")
  List<Integer> partitions;

  @Option(
      names = "--test-from-position",
      paramLabel = "<offset|time>",
      description =
          "With --from-topic: a held-out range of the same topic for the test set (never trained"
              + " or validated on) starts here; without it there is no test set.")
  String testFrom;

  @Option(
      names = "--test-to-position",
      paramLabel = "<offset|time>",
      description = "With --test-from-position: where the test range ends (default: latest).")
  String testTo;

  @Option(
      names = "--labels-topic",
      paramLabel = "<topic>",
      description =
          "Also take true labels from this topic (ImageLabel keyed by image id, as glimpse label"
              + " publishes), pinned at its end when the run starts: an image's first label there"
              + " wins over the event's own and labels unlabelled events.")
  private String labelsTopic;

  @Option(
      names = "--classes",
      paramLabel = "<name,...>",
      split = ",",
      description =
          "With --from-topic: the classes in output order; events labelled otherwise are skipped"
              + " and counted (default: the labels in the range, sorted; a fine-tuned parent's"
              + " order is kept when it has them all).")
  List<String> classes;

  /** Whether the images come from a topic. */
  boolean enabled() {
    return topic != null;
  }

  /**
   * Pins the ranges now and returns the source that reads them.
   *
   * @param kafka the broker and registry
   * @param input the network's input, what images of mixed sizes are resized to
   * @param validationFraction the share of the training range held out for validation
   * @param seed the split's seed
   * @return the source; nothing is read yet
   * @throws IllegalArgumentException when a position or partition is not valid, or the topic is
   *     missing
   */
  KafkaTopicSource source(
      KafkaConnection kafka, InputShape input, double validationFraction, long seed) {
    ReplayRange range = range("--from-position", from, "--to-position", to);
    ReplayRange test =
        testFrom == null
            ? null
            : range("--test-from-position", testFrom, "--test-to-position", testTo);
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka)) {
      List<TopicPartition> read = partitions(consumer, kafka);
      return KafkaTopicSource.builder()
          .setRange(pin(range, consumer, read))
          .optTestRange(test == null ? null : pin(test, consumer, read))
          .setKafka(kafka.clientConfig(), kafka.serdeConfig())
          .setInputShape(input)
          .optClasses(classes)
          .optLabelsTopic(labelsTopic)
          .optSplit(validationFraction, seed)
          .optTimeout(kafka.timeout())
          .build();
    }
  }

  private static ReplayRange range(String fromName, String start, String toName, String end) {
    return new ReplayRange(
        ReplayRange.Bound.parse(fromName, start),
        ReplayRange.Bound.parse(toName, end == null ? "latest" : end));
  }

  private TopicRange pin(
      ReplayRange range, KafkaConsumer<?, ?> consumer, List<TopicPartition> read) {
    List<PartitionRange> pinned = new ArrayList<>();
    range
        .resolve(consumer, read)
        .forEach(
            (p, offsets) -> pinned.add(new PartitionRange(p.partition(), offsets[0], offsets[1])));
    return new TopicRange(topic, pinned);
  }

  private List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, KafkaConnection kafka) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, kafka.timeout());
    if (infos == null || infos.isEmpty()) {
      throw new IllegalArgumentException(
          "topic " + topic + " does not exist on " + kafka.bootstrapServers());
    }
    TreeSet<Integer> existing = new TreeSet<>();
    infos.forEach(p -> existing.add(p.partition()));
    List<Integer> chosen = partitions == null ? List.copyOf(existing) : partitions;
    for (int p : chosen) {
      if (!existing.contains(p)) {
        throw new IllegalArgumentException(
            "--partitions names " + p + ", but " + topic + " has partitions " + existing);
      }
    }
    return chosen.stream().distinct().map(p -> new TopicPartition(topic, p)).toList();
  }

  /** Reads offsets only; {@code read_committed}, so "latest" is the last committed offset. */
  private static KafkaConsumer<byte[], byte[]> consumer(KafkaConnection kafka) {
    return new KafkaConsumer<>(
        consumerConfig(kafka), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The offset reader's settings: the connection's client settings, no group, read_committed. */
  static Map<String, Object> consumerConfig(KafkaConnection kafka) {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "glimpse-train");
    config.putIfAbsent(
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) kafka.timeout().toMillis());
    return config;
  }
}
