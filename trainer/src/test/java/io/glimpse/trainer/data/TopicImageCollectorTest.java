package io.glimpse.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.image.ContentTypes;
import io.glimpse.model.image.ImageDecoder;
import io.glimpse.schemas.avro.ImageEvent;
import io.glimpse.schemas.avro.ImageLabel;
import io.glimpse.schemas.serde.AvroSerdeConfig;
import io.glimpse.schemas.topic.Topics;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rules of reading a topic range, on the records' bytes (an in-process registry, no broker):
 * the same records give the same images, digest and split; anything else gives another digest; what
 * cannot be trained on is skipped and counted.
 */
class TopicImageCollectorTest {

  private static final Map<String, Object> SERDE =
      Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://topic-image-collector-test");
  private static final InputShape INPUT = new InputShape(1, 64, 64);
  private static final TopicRange RANGE =
      new TopicRange("images", List.of(new TopicRange.PartitionRange(0, 0, 100)));

  private final Serializer<ImageEvent> serializer = Topics.IMAGES.valueSerde(SERDE).serializer();
  private final Deserializer<ImageEvent> deserializer =
      Topics.IMAGES.valueSerde(SERDE).deserializer();
  private final ImageDataset shapes =
      SyntheticShapes.source(
              DatasetOptions.defaults().withLimit(60).withSeed(1), new InputShape(1, 32, 32))
          .load()
          .train();

  @AfterEach
  void close() {
    serializer.close();
    deserializer.close();
  }

  @Test
  void theSameRecordsGiveTheSameImagesDigestAndSplit() throws Exception {
    List<byte[]> records = labelledRecords(40);

    TopicImageCollector a = collect(records, null);
    TopicImageCollector b = collect(records, null);
    List<String> classes = List.copyOf(a.labelsSeen());
    InMemoryImageDataset imagesA = a.images(classes);
    InMemoryImageDataset imagesB = b.images(classes);
    TopicRead read = a.report();

    assertThat(read.images()).isEqualTo(40);
    assertThat(read.skipped()).isZero();
    assertThat(read.sha256()).hasSize(64).isEqualTo(b.report().sha256());
    assertThat(classes).isSorted();
    assertThat(imagesA.width()).as("kept at their own size, like a file's").isEqualTo(32);
    for (int i = 0; i < imagesA.size(); i++) {
      assertThat(imagesA.image(i).pixels()).isEqualTo(shapes.image(i).pixels());
      assertThat(classes.get(imagesA.label(i))).isEqualTo(shapes.classes().get(shapes.label(i)));
    }
    InMemoryImageDataset[] splitA = StratifiedSplit.split(imagesA, 0.25, 42);
    InMemoryImageDataset[] splitB = StratifiedSplit.split(imagesB, 0.25, 42);
    assertThat(splitA[1].size()).isEqualTo(splitB[1].size()).isPositive();
    for (int i = 0; i < splitA[1].size(); i++) {
      assertThat(splitA[1].image(i).pixels()).isEqualTo(splitB[1].image(i).pixels());
    }
  }

  @Test
  void anotherRangeOrLabelGivesAnotherDigest() throws Exception {
    List<byte[]> records = labelledRecords(20);
    String digest = collect(records, null).report().sha256();

    String shorter = collect(records.subList(0, 19), null).report().sha256();
    List<byte[]> relabelled = new ArrayList<>(records);
    relabelled.set(3, serialize(event(3, "dots")));
    String otherLabel = collect(relabelled, null).report().sha256();

    assertThat(shorter).isNotEqualTo(digest);
    assertThat(otherLabel).isNotEqualTo(digest).isNotEqualTo(shorter);
  }

  @Test
  void recordsThatCannotBeTrainedOnAreSkippedAndCounted() throws Exception {
    List<byte[]> records = new ArrayList<>(labelledRecords(10));
    records.add(serialize(event(10, null)));
    records.add(serialize(event(11, " ")));
    records.add(serialize(event(12, "no-such-class")));
    records.add(new byte[] {0, 0, 0, 0, 99, 1, 2}); // schema id 99 is not registered
    records.add(null);
    List<String> classes = new ArrayList<>(SyntheticShapes.CLASSES);

    TopicRead read = collect(records, classes).report();

    assertThat(read.images()).isEqualTo(10);
    assertThat(read.unlabelled()).isEqualTo(2);
    assertThat(read.unknownLabel()).isEqualTo(1);
    assertThat(read.unreadable()).isEqualTo(2);
    assertThat(read.firstProblem()).startsWith("images-0@13: ");
    assertThat(read.sha256()).isEqualTo(collect(records.subList(0, 10), classes).report().sha256());
    assertThat(read.toString())
        .contains(
            "images 0:[0,100) 10 images sha256:",
            "skipped 2 unlabelled, 1 with an unknown label, 2 unreadable");
  }

  @Test
  void imagesOfMixedSizesAreAllResizedToTheInput() throws Exception {
    List<byte[]> records = new ArrayList<>(labelledRecords(5));
    records.add(serialize(raw(5, "big", new byte[80 * 80], 80)));

    TopicImageCollector collector = collect(records, null);
    InMemoryImageDataset images = collector.images(List.copyOf(collector.labelsSeen()));

    assertThat(images.size()).isEqualTo(6);
    assertThat(images.width()).isEqualTo(64);
    assertThat(images.height()).isEqualTo(64);
  }

  @Test
  void theDigestKeepsFieldsApart() {
    TopicDigest a = new TopicDigest();
    a.add(0, 1, "ab", "c", new byte[] {1});
    TopicDigest b = new TopicDigest();
    b.add(0, 1, "a", "bc", new byte[] {1});
    TopicDigest noLabel = new TopicDigest();
    noLabel.add(0, 1, "ab", null, new byte[] {1});
    TopicDigest emptyLabel = new TopicDigest();
    emptyLabel.add(0, 1, "ab", "", new byte[] {1});

    String digest = a.finish();
    assertThat(b.finish()).isNotEqualTo(digest);
    assertThat(noLabel.finish()).isNotEqualTo(emptyLabel.finish());
  }

  @Test
  void labelsFromTheLabelsTopicLabelUnlabelledEventsAndCorrectLabelledOnes() throws Exception {
    String first = shapes.classes().get(0);
    String second = shapes.classes().get(1);
    List<byte[]> records =
        List.of(
            serialize(event(0, null)), // labelled only on the labels topic
            serialize(event(1, first)), // corrected there
            serialize(event(2, first)), // its own label stands
            serialize(event(3, null))); // no label anywhere
    Serializer<ImageLabel> labelSerializer = Topics.LABELS.valueSerde(SERDE).serializer();
    TopicRange labelRange =
        new TopicRange("labels", List.of(new TopicRange.PartitionRange(0, 0, 4)));
    LateLabels late = new LateLabels(labelRange, Topics.LABELS.valueSerde(SERDE).deserializer());
    late.accept(0, 0, null, labelSerializer.serialize("labels", label("image-0", second)));
    late.accept(0, 1, null, labelSerializer.serialize("labels", label("image-1", second)));
    late.accept(0, 2, null, labelSerializer.serialize("labels", label("image-1", first)));
    late.accept(0, 3, null, new byte[] {0, 1, 2});

    TopicImageCollector collector =
        new TopicImageCollector(
            RANGE, deserializer, ImageDecoder.builder().build(), INPUT, null, late);
    for (int i = 0; i < records.size(); i++) {
      collector.accept(0, i, null, records.get(i));
    }
    InMemoryImageDataset images = collector.images(List.of(first, second));

    assertThat(images.size()).isEqualTo(3);
    assertThat(images.label(0)).as("image-0, from the topic").isEqualTo(1);
    assertThat(images.label(1)).as("image-1, its first correction").isEqualTo(1);
    assertThat(images.label(2)).as("image-2, its own").isEqualTo(0);
    assertThat(collector.report().unlabelled()).isEqualTo(1);
    assertThat(late.toString()).isEqualTo("labels 0:[0,4) 4 labels of 2 images, 1 unreadable");
  }

  private static ImageLabel label(String id, String label) {
    return new ImageLabel(id, label, "test", Instant.ofEpochMilli(2_000_000L));
  }

  private TopicImageCollector collect(List<byte[]> records, List<String> classes)
      throws DatasetException {
    TopicImageCollector collector =
        new TopicImageCollector(
            RANGE, deserializer, ImageDecoder.builder().build(), INPUT, classes);
    for (int i = 0; i < records.size(); i++) {
      collector.accept(0, i, records.get(i));
    }
    return collector;
  }

  private List<byte[]> labelledRecords(int count) {
    List<byte[]> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(serialize(event(i, shapes.classes().get(shapes.label(i)))));
    }
    return records;
  }

  private ImageEvent event(int index, String label) {
    return raw(index, label, shapes.image(index).pixels(), 32);
  }

  private static ImageEvent raw(int index, String label, byte[] pixels, int size) {
    return ImageEvent.newBuilder()
        .setId("image-" + index)
        .setSource("test")
        .setContentType(ContentTypes.RAW)
        .setData(ByteBuffer.wrap(pixels))
        .setWidth(size)
        .setHeight(size)
        .setChannels(1)
        .setEventTime(Instant.ofEpochMilli(1_000_000L + index))
        .setLabel(label)
        .build();
  }

  private byte[] serialize(ImageEvent event) {
    return serializer.serialize("images", event);
  }
}
