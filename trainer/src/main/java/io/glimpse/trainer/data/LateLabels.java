package io.glimpse.trainer.data;

import io.glimpse.schemas.avro.ImageLabel;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * True labels that arrived after their images, read from a pinned range of the {@code labels}
 * topic: the first label of each image id counts (later ones are duplicates, as in the pipeline's
 * online accuracy), records that do not deserialize are skipped and counted.
 */
final class LateLabels implements RecordSink {
  private final TopicRange range;
  private final Deserializer<ImageLabel> labels;
  private final Map<String, String> byImage = new HashMap<>();
  private long records;
  private long unreadable;

  LateLabels(TopicRange range, Deserializer<ImageLabel> labels) {
    this.range = range;
    this.labels = labels;
  }

  @Override
  public void accept(int partition, long offset, byte[] key, byte[] value) {
    records++;
    if (value == null) {
      unreadable++;
      return;
    }
    try {
      ImageLabel label = labels.deserialize(range.topic(), value);
      if (!label.getLabel().isBlank()) {
        byImage.putIfAbsent(label.getImageId(), label.getLabel());
      }
    } catch (RuntimeException e) {
      unreadable++;
    }
  }

  /** The label the topic gives an image, if any. */
  Optional<String> of(String imageId) {
    return Optional.ofNullable(byImage.get(imageId));
  }

  /** {@code labels 0:[0,900) 1:[0,880) 1780 labels of 1700 images}. */
  @Override
  public String toString() {
    return range
        + " "
        + records
        + " labels of "
        + byImage.size()
        + " images"
        + (unreadable > 0 ? ", " + unreadable + " unreadable" : "");
  }
}
