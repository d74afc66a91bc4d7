package io.glimpse.trainer.data;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.image.DecodedImage;
import io.glimpse.model.image.ImageDecoder;
import io.glimpse.model.image.ImageRejectedException;
import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.registry.RegistryErrorCode;
import io.glimpse.schemas.registry.SchemaRegistryException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Turns the records of one topic range, in the order they were read, into labelled images: each
 * value is deserialized as an {@code ImageEvent} and decoded as the pipeline decodes it (JPEG, PNG
 * or raw pixels, large JPEGs at a reduced scale still covering the input). The label is the event's
 * own {@code label} field. A record without a label, with a label outside the run's classes, or
 * that does not deserialize or decode is skipped and counted, never trained on; every record kept
 * goes into the {@link TopicDigest}. Kafka-free, so the rules are tested on bytes. Not thread-safe.
 */
final class TopicImageCollector implements RecordSink {

  private final TopicRange range;
  private final Deserializer<ImageEvent> events;
  private final ImageDecoder decoder;
  private final InputShape input;
  private final Set<String> classes;
  private final ImageAccumulator images;
  private final TopicDigest digest = new TopicDigest();
  private final Set<String> labelsSeen = new TreeSet<>();
  private final LateLabels lateLabels;
  private long unlabelled;
  private long unknownLabel;
  private long unreadable;
  private String firstProblem;

  /**
   * @param classes the labels to keep, or null to keep every label (the classes are then the labels
   *     seen, sorted)
   */
  TopicImageCollector(
      TopicRange range,
      Deserializer<ImageEvent> events,
      ImageDecoder decoder,
      InputShape input,
      List<String> classes) {
    this(range, events, decoder, input, classes, null);
  }

  /**
   * @param lateLabels labels that arrived later on the labels topic, which win over an event's own
   *     (a correction), or null
   */
  TopicImageCollector(
      TopicRange range,
      Deserializer<ImageEvent> events,
      ImageDecoder decoder,
      InputShape input,
      List<String> classes,
      LateLabels lateLabels) {
    this.lateLabels = lateLabels;
    this.range = range;
    this.events = events;
    this.decoder = decoder;
    this.input = input;
    this.classes = classes == null ? null : Set.copyOf(classes);
    this.images = new ImageAccumulator(input);
  }

  /**
   * Takes the next record of the range.
   *
   * @throws DatasetException when the schema registry cannot be asked about the record's schema (an
   *     outage, not the record's fault: the run stops rather than skip good images)
   */
  @Override
  public void accept(int partition, long offset, byte[] key, byte[] value) throws DatasetException {
    accept(partition, offset, value);
  }

  void accept(int partition, long offset, byte[] value) throws DatasetException {
    ImageEvent event = deserialize(partition, offset, value);
    if (event == null) {
      return;
    }
    // A label that arrived later on the labels topic wins over the event's own (a correction).
    String label =
        lateLabels == null
            ? event.getLabel()
            : lateLabels.of(event.getId()).orElse(event.getLabel());
    if (label == null || label.isBlank()) {
      unlabelled++;
      return;
    }
    if (classes != null && !classes.contains(label)) {
      unknownLabel++;
      return;
    }
    DecodedImage image = decode(partition, offset, event);
    if (image != null) {
      images.add(image, label);
      labelsSeen.add(label);
      digest.add(partition, offset, event.getId(), label, value);
    }
  }

  /** The labels of the images kept, sorted. */
  Set<String> labelsSeen() {
    return labelsSeen;
  }

  /** The images kept, with labels as indices into {@code runClasses}. */
  InMemoryImageDataset images(List<String> runClasses) {
    return images.build(runClasses);
  }

  /** What was read; the digest is finished. */
  TopicRead report() {
    return new TopicRead(
        range, images.size(), digest.finish(), unlabelled, unknownLabel, unreadable, firstProblem);
  }

  private ImageEvent deserialize(int partition, long offset, byte[] value) throws DatasetException {
    if (value == null) {
      skip(partition, offset, "a tombstone (no value)");
      return null;
    }
    try {
      return events.deserialize(range.topic(), value);
    } catch (SerializationException e) {
      SchemaRegistryException outage = registryOutage(e);
      if (outage != null) {
        throw new DatasetException(
            "the schema registry cannot be asked about the schema of "
                + where(partition, offset)
                + ": "
                + outage.getMessage()
                + "; check --schema-registry-url and that the registry is up, then run again",
            e);
      }
      skip(partition, offset, e.getMessage());
      return null;
    }
  }

  private DecodedImage decode(int partition, long offset, ImageEvent event) {
    try {
      return decoder.decode(event, input.width(), input.height());
    } catch (ImageRejectedException e) {
      skip(partition, offset, "image " + event.getId() + ": " + e.getMessage());
      return null;
    }
  }

  private void skip(int partition, long offset, String why) {
    unreadable++;
    if (firstProblem == null) {
      firstProblem = where(partition, offset) + ": " + why;
    }
  }

  private String where(int partition, long offset) {
    return range.topic() + "-" + partition + "@" + offset;
  }

  /**
   * A registry that answered "no such schema" blames the record; any other failure is an outage.
   */
  private static SchemaRegistryException registryOutage(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SchemaRegistryException registry) {
        return registry.errorCode() == RegistryErrorCode.SCHEMA_NOT_FOUND.code() ? null : registry;
      }
    }
    return null;
  }
}
