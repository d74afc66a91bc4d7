package io.glimpse.trainer.data;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.image.ImageDecoder;
import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.avro.ImageLabel;
import io.glimpse.schemas.topic.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Labelled images read from a pinned range of a Kafka topic of {@code ImageEvent}s ({@code glimpse
 * train --from-topic}). The range is read with no consumer group, partition after partition in
 * offset order; each event is decoded as the pipeline decodes it and labelled with its own {@code
 * label} field (see {@link TopicImageCollector} for what is skipped and counted).
 *
 * <p>The classes are the ones set ({@link Builder#optClasses}, e.g. a parent model's labels), or
 * else the labels found in the training range, sorted. The training range's images, in (partition,
 * offset) order, are split into training and validation images by {@link StratifiedSplit} with the
 * seed, as the file readers split theirs: the same range and seed give the same split. A range that
 * grows moves images between the parts, so a held-out set that must stay held out is a separate
 * test range ({@link Builder#optTestRange}), read the same way with the training range's classes.
 *
 * <p>Once loaded, {@link #describe()} and {@link #provenance()} name each range with its image
 * count and {@link TopicDigest}, which the run records in the artifact's manifest and in {@code
 * metrics.json}: reading the same range again gives the same images and the same digest.
 */
public final class KafkaTopicSource implements DataSource {

  private final Settings settings;
  private volatile Read read;

  private record Read(TopicRead train, TopicRead test, LateLabels labels) {}

  private record Settings(
      TopicRange range,
      TopicRange testRange,
      Map<String, Object> clientConfig,
      Map<String, Object> serdeConfig,
      InputShape input,
      List<String> classes,
      double validationFraction,
      long seed,
      Duration timeout,
      String labelsTopic) {}

  private KafkaTopicSource(Settings settings) {
    this.settings = settings;
  }

  /**
   * Returns a builder; the training range, the Kafka and registry settings and the input shape are
   * required.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The labels topic pinned as it is now, read; null when the run uses the events' labels only. */
  private LateLabels lateLabels(TopicRangeReader reader) throws DatasetException {
    if (settings.labelsTopic() == null) {
      return null;
    }
    TopicRange range = reader.wholeTopic(settings.labelsTopic());
    try (Deserializer<ImageLabel> labels =
        Topics.LABELS.valueSerde(settings.serdeConfig()).deserializer()) {
      LateLabels late = new LateLabels(range, labels);
      reader.read(range, late);
      return late;
    }
  }

  @Override
  public DataSplits load() throws DatasetException {
    TopicRangeReader reader = new TopicRangeReader(settings.clientConfig(), settings.timeout());
    ImageDecoder decoder = ImageDecoder.builder().build();
    try (Deserializer<ImageEvent> events =
        Topics.IMAGES.valueSerde(settings.serdeConfig()).deserializer()) {
      LateLabels late = lateLabels(reader);
      TopicImageCollector train =
          new TopicImageCollector(
              settings.range(), events, decoder, settings.input(), settings.classes(), late);
      reader.read(settings.range(), train);
      List<String> classes =
          settings.classes() != null ? settings.classes() : List.copyOf(train.labelsSeen());
      TopicRead trainRead = train.report();
      requireEnough(trainRead, classes);
      InMemoryImageDataset all = train.images(classes);
      InMemoryImageDataset[] parts =
          StratifiedSplit.split(all, settings.validationFraction(), settings.seed());
      TopicRead testRead = null;
      ImageDataset test = null;
      if (settings.testRange() != null) {
        TopicImageCollector held =
            new TopicImageCollector(
                settings.testRange(), events, decoder, settings.input(), classes, late);
        reader.read(settings.testRange(), held);
        testRead = held.report();
        test = sameShape(held.images(classes), all);
      }
      read = new Read(trainRead, testRead, late);
      return new DataSplits(parts[0], parts[1], test);
    }
  }

  /**
   * Returns what the last {@link #load()} read.
   *
   * @return the training range's read, empty before a load
   */
  public Optional<TopicRead> trainingRead() {
    Read r = read;
    return r == null ? Optional.empty() : Optional.of(r.train());
  }

  /**
   * Returns what the last {@link #load()} read of the test range.
   *
   * @return the test range's read, empty before a load or without a test range
   */
  public Optional<TopicRead> testRead() {
    Read r = read;
    return r == null ? Optional.empty() : Optional.ofNullable(r.test());
  }

  /**
   * Returns {@code kafka:} and the ranges; once loaded, each with its image count, digest and
   * skipped records: {@code kafka:images 0:[0,500) 1:[0,480) 951 images sha256:… skipped 29
   * unlabelled; test images 0:[500,600) …}.
   */
  @Override
  public String describe() {
    Read r = read;
    Object train = r == null ? settings.range() : r.train();
    Object test = r == null ? settings.testRange() : r.test();
    return "kafka:"
        + train
        + (test == null ? "" : "; test " + test)
        + (r != null && r.labels() != null ? "; labels " + r.labels() : "");
  }

  @Override
  public Map<String, Object> provenance() {
    Read r = read;
    if (r == null) {
      return Map.of();
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("kind", "kafka");
    p.put("train", provenance(r.train()));
    if (r.test() != null) {
      p.put("test", provenance(r.test()));
    }
    if (r.labels() != null) {
      p.put("labels", r.labels().toString());
    }
    return p;
  }

  private static Map<String, Object> provenance(TopicRead read) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("topic", read.range().topic());
    p.put(
        "partitions",
        read.range().partitions().stream()
            .map(r -> Map.of("partition", r.partition(), "start", r.start(), "end", r.end()))
            .toList());
    p.put("images", read.images());
    p.put("sha256", read.sha256());
    p.put("unlabelled", read.unlabelled());
    p.put("unknownLabel", read.unknownLabel());
    p.put("unreadable", read.unreadable());
    return p;
  }

  private static void requireEnough(TopicRead read, List<String> classes) throws DatasetException {
    if (read.images() < 2 || classes.size() < 2) {
      throw new DatasetException(
          "kafka:"
              + read
              + " gave "
              + read.images()
              + " labelled images of "
              + classes.size()
              + " classes; training needs at least 2 of each. Choose a range with labelled"
              + " ImageEvents"
              + (read.firstProblem() == null
                  ? ""
                  : " (first unreadable: " + read.firstProblem() + ")"));
    }
  }

  /** Test images resized to the training images' size when the two ranges came out different. */
  private static ImageDataset sameShape(ImageDataset test, ImageDataset train) {
    boolean same =
        test.height() == train.height()
            && test.width() == train.width()
            && test.channels() == train.channels();
    return same
        ? test
        : ImageFitter.fit(
            test, new InputShape(train.channels(), train.height(), train.width()), FitMode.RESIZE);
  }

  /** Builder in DJL's words: {@code setX} required, {@code optX} optional, {@link #build()}. */
  public static final class Builder {
    private TopicRange range;
    private TopicRange testRange;
    private Map<String, Object> clientConfig;
    private Map<String, Object> serdeConfig;
    private InputShape input;
    private List<String> classes;
    private double validationFraction = DatasetOptions.DEFAULT_VALIDATION_FRACTION;
    private long seed = 42;
    private Duration timeout = Duration.ofSeconds(30);
    private String labelsTopic;

    private Builder() {}

    /**
     * Also takes labels from a labels topic ({@code ImageLabel} keyed by image id), pinned at its
     * end when the run loads: an image's first label there wins over the event's own, and gives
     * unlabelled events a label.
     *
     * @param labelsTopic the topic, e.g. {@code labels}, or null for the events' labels only
     * @return this builder
     */
    public Builder optLabelsTopic(String labelsTopic) {
      this.labelsTopic = labelsTopic;
      return this;
    }

    /**
     * Sets the pinned range to train (and validate) on. Required.
     *
     * @param range the range
     * @return this builder
     */
    public Builder setRange(TopicRange range) {
      this.range = range;
      return this;
    }

    /**
     * Sets how to reach Kafka and the schema registry. Required.
     *
     * @param clientConfig bootstrap servers and client settings (a {@code group.id} is ignored)
     * @param serdeConfig the Avro serde's settings: {@code schema.registry.url} and credentials
     * @return this builder
     */
    public Builder setKafka(Map<String, Object> clientConfig, Map<String, Object> serdeConfig) {
      this.clientConfig = Map.copyOf(clientConfig);
      this.serdeConfig = Map.copyOf(serdeConfig);
      return this;
    }

    /**
     * Sets the network's input shape: images of mixed sizes, larger than it, or RGBA are resized to
     * it as they are read. Required.
     *
     * @param input the input shape
     * @return this builder
     */
    public Builder setInputShape(InputShape input) {
      this.input = input;
      return this;
    }

    /**
     * Sets a range of held-out test images, never trained on or validated with.
     *
     * @param testRange the pinned test range, or null for none
     * @return this builder
     */
    public Builder optTestRange(TopicRange testRange) {
      this.testRange = testRange;
      return this;
    }

    /**
     * Fixes the classes and their order (a parent model's labels, say); images labelled otherwise
     * are skipped and counted. Unless set, the classes are the training range's labels, sorted.
     *
     * @param classes at least two class names, or null
     * @return this builder
     */
    public Builder optClasses(List<String> classes) {
      this.classes = classes == null ? null : List.copyOf(classes);
      return this;
    }

    /**
     * Sets the validation share and the seed of the split.
     *
     * @param validationFraction the share of each class held out for validation, in (0, 1)
     * @param seed the split's seed
     * @return this builder
     */
    public Builder optSplit(double validationFraction, long seed) {
      this.validationFraction = validationFraction;
      this.seed = seed;
      return this;
    }

    /**
     * Sets how long to wait for the next record of a range before giving up; 30 s unless set.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder optTimeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * Checks the settings and builds the source; nothing is read until {@link #load()}.
     *
     * @return the source
     * @throws IllegalArgumentException when a required setting is missing or a value is out of
     *     range
     */
    public KafkaTopicSource build() {
      if (range == null || clientConfig == null || input == null) {
        throw new IllegalArgumentException("setRange, setKafka and setInputShape are required");
      }
      if (classes != null && (classes.size() < 2 || Set.copyOf(classes).size() != classes.size())) {
        throw new IllegalArgumentException(
            "the classes must be at least two distinct names, got " + classes);
      }
      if (!(validationFraction > 0 && validationFraction < 1)) {
        throw new IllegalArgumentException(
            "the validation fraction must be between 0 and 1, got " + validationFraction);
      }
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the timeout must be positive, got " + timeout);
      }
      return new KafkaTopicSource(
          new Settings(
              range,
              testRange,
              clientConfig,
              serdeConfig,
              input,
              classes,
              validationFraction,
              seed,
              timeout,
              labelsTopic));
    }
  }
}
