package io.glimpse.pipeline.quality;

import io.glimpse.pipeline.dlq.DeadLetter;
import io.glimpse.pipeline.dlq.DeadLetterHeaders;
import io.glimpse.pipeline.dlq.DeadLetterReason;
import io.glimpse.schemas.avro.ClassScore;
import io.glimpse.schemas.avro.ImageLabel;
import io.glimpse.schemas.avro.ModelQuality;
import io.glimpse.schemas.topic.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins labels with every version's prediction of the same image id, by the records' timestamps,
 * into {@link VersionTally tallies} per model version, window of prediction time and partition.
 *
 * <p>A label and a prediction whose timestamps are at most the join window apart, in either order,
 * are joined: counted right or wrong for that version (unless the label is not in the version's
 * label set, from {@link LabelSets}: then counted unknown). A label that comes for a remembered
 * prediction but outside the window is counted late. Each image id counts its first label only;
 * later ones are duplicates. A label that meets no prediction before window + grace of stream time
 * passed is counted unmatched. Nothing is dropped without a count. Unreadable label records go to
 * the labels dead-letter topic with their reason.
 *
 * <p>State: the join entries by image id, an index of them by expiry time, the tallies, and the
 * tallies changed since they were last written to {@code model-quality} (every emit interval). It
 * forwards two kinds of record, split downstream: {@link ModelQuality} tallies, and dead letters
 * (the label record's own bytes).
 */
final class LabelJoinProcessor implements Processor<Object, Object, Object, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(LabelJoinProcessor.class);
  private static final Duration EXPIRY_CHECK = Duration.ofSeconds(10);

  private final QualitySettings settings;
  private final QualityMetrics metrics;
  private final Deserializer<ImageLabel> labels;
  private final LabelSets labelSets;
  private ProcessorContext<Object, Object> context;
  private KeyValueStore<String, byte[]> entries;
  private KeyValueStore<Bytes, byte[]> expiries;
  private KeyValueStore<String, ModelQuality> tallies;
  private KeyValueStore<String, byte[]> changed;

  LabelJoinProcessor(
      QualitySettings settings,
      QualityMetrics metrics,
      Deserializer<ImageLabel> labels,
      LabelSets labelSets) {
    this.settings = settings;
    this.metrics = metrics;
    this.labels = labels;
    this.labelSets = labelSets;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.entries = context.getStateStore(QualityTopology.JOIN_STORE);
    this.expiries = context.getStateStore(QualityTopology.EXPIRY_STORE);
    this.tallies = context.getStateStore(QualityTopology.TALLY_STORE);
    this.changed = context.getStateStore(QualityTopology.CHANGED_STORE);
    context.schedule(EXPIRY_CHECK, PunctuationType.STREAM_TIME, this::expire);
    context.schedule(settings.emitInterval(), PunctuationType.WALL_CLOCK_TIME, now -> emit());
  }

  @Override
  public void process(Record<Object, Object> record) {
    if (record.value() instanceof io.glimpse.schemas.avro.Prediction prediction) {
      onPrediction(prediction, record.timestamp());
    } else {
      onLabel(record);
    }
  }

  private void onPrediction(io.glimpse.schemas.avro.Prediction prediction, long time) {
    List<ClassScore> top = prediction.getTopK();
    if (top.isEmpty()) {
      return;
    }
    String id = prediction.getImageId();
    LabelJoinEntry entry = load(id);
    long oldExpiry = entry.expiry();
    if (entry.hasPredictionOf(prediction.getModelName(), prediction.getModelVersion())) {
      return; // the same version classified the image again (a replay): it counted once
    }
    LabelJoinEntry.Seen seen =
        new LabelJoinEntry.Seen(
            prediction.getModelName(), prediction.getModelVersion(), top.get(0).getLabel(), time);
    entry.predictions().add(seen);
    entry.label().ifPresent(label -> settle(seen, label, entry.labelTime()));
    entry.extendExpiry(time + settings.pendingLifetime().plus(settings.lateRetention()).toMillis());
    save(id, entry, oldExpiry);
  }

  private void onLabel(Record<Object, Object> record) {
    ImageLabel label;
    try {
      label = readLabel(record);
    } catch (InvalidLabelException e) {
      deadLetter(record, e.deadLetter);
      return;
    }
    String id = label.getImageId();
    LabelJoinEntry entry = load(id);
    if (entry.label().isPresent()) {
      metrics.duplicate();
      return;
    }
    long oldExpiry = entry.expiry();
    long time = record.timestamp();
    entry.setLabel(label.getLabel(), time);
    for (LabelJoinEntry.Seen seen : entry.predictions()) {
      settle(seen, label.getLabel(), time);
    }
    entry.extendExpiry(time + settings.pendingLifetime().toMillis());
    save(id, entry, oldExpiry);
  }

  private ImageLabel readLabel(Record<Object, Object> record) throws InvalidLabelException {
    byte[] value = (byte[]) record.value();
    if (value == null) {
      throw new InvalidLabelException(
          new DeadLetter(
              DeadLetterReason.NULL_VALUE,
              InvalidLabelException.class.getName(),
              "A label record without a value: publish an ImageLabel keyed by the image id"));
    }
    ImageLabel label;
    try {
      label = labels.deserialize(topic(), value);
    } catch (RuntimeException e) {
      throw new InvalidLabelException(DeadLetter.of(DeadLetterReason.DESERIALIZATION_FAILED, e));
    }
    String key =
        record.key() == null ? null : new String((byte[]) record.key(), StandardCharsets.UTF_8);
    String problem = null;
    if (label.getImageId().isBlank()) {
      problem = "The label has no image id";
    } else if (label.getLabel().isBlank()) {
      problem = "The label of image " + label.getImageId() + " is empty";
    } else if (!label.getImageId().equals(key)) {
      problem =
          "The label of image "
              + label.getImageId()
              + " is keyed "
              + key
              + ": key labels by their image id, so they meet the image's predictions in the"
              + " same partition";
    }
    if (problem != null) {
      throw new InvalidLabelException(
          new DeadLetter(
              DeadLetterReason.INVALID_LABEL, InvalidLabelException.class.getName(), problem));
    }
    return label;
  }

  private String topic() {
    return context.recordMetadata().map(RecordMetadata::topic).orElse(settings.topics().labels());
  }

  private void deadLetter(Record<Object, Object> record, DeadLetter deadLetter) {
    RecordMetadata source = context.recordMetadata().orElseThrow();
    LOG.warn(
        "Label record at {}-{}@{} dead-lettered ({}): {}",
        source.topic(),
        source.partition(),
        source.offset(),
        deadLetter.reason(),
        deadLetter.message());
    metrics.invalid();
    context.forward(
        record.withHeaders(
            DeadLetterHeaders.of(
                record.headers(),
                source.topic(),
                source.partition(),
                source.offset(),
                deadLetter)));
  }

  /** A label meets one version's prediction. */
  private void settle(LabelJoinEntry.Seen seen, String label, long labelTime) {
    long window = settings.tallyWindow().toMillis();
    long start = Math.floorDiv(seen.time(), window) * window;
    int partition = context.recordMetadata().map(RecordMetadata::partition).orElse(-1);
    String key = Topics.qualityKey(seen.model(), seen.version(), start, partition);
    ModelQuality stored = tallies.get(key);
    VersionTally tally =
        stored != null
            ? VersionTally.of(stored)
            : new VersionTally(seen.model(), seen.version(), start, start + window, partition);
    Set<String> known = labelSets.of(seen.model(), seen.version()).orElse(null);
    if (known != null && !known.contains(label)) {
      tally.unknown();
      metrics.unknown(seen.model(), seen.version());
    } else if (Math.abs(labelTime - seen.time()) <= settings.joinWindow().toMillis()) {
      tally.joined(label, seen.predicted());
      metrics.joined(seen.model(), seen.version(), label.equals(seen.predicted()));
    } else {
      tally.late();
      metrics.late(seen.model(), seen.version());
    }
    tallies.put(key, tally.toRecord(Instant.ofEpochMilli(context.currentSystemTimeMs())));
    changed.put(key, new byte[0]);
  }

  private LabelJoinEntry load(String id) {
    byte[] bytes = entries.get(id);
    return bytes == null ? new LabelJoinEntry() : LabelJoinEntry.decode(bytes);
  }

  private void save(String id, LabelJoinEntry entry, long oldExpiry) {
    entries.put(id, entry.encode());
    if (entry.expiry() != oldExpiry) {
      if (oldExpiry != 0) {
        expiries.delete(expiryKey(oldExpiry, id));
      }
      expiries.put(expiryKey(entry.expiry(), id), new byte[0]);
    }
  }

  /** Drops the entries stream time has passed; a label that met no prediction is unmatched. */
  private void expire(long streamTime) {
    List<Bytes> done = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = expiries.all()) {
      while (it.hasNext()) {
        Bytes key = it.next().key;
        ByteBuffer buffer = ByteBuffer.wrap(key.get());
        if (buffer.getLong() >= streamTime) {
          break;
        }
        done.add(key);
      }
    }
    for (Bytes key : done) {
      byte[] bytes = key.get();
      String id = new String(bytes, Long.BYTES, bytes.length - Long.BYTES, StandardCharsets.UTF_8);
      byte[] stored = entries.get(id);
      if (stored != null) {
        LabelJoinEntry entry = LabelJoinEntry.decode(stored);
        if (entry.label().isPresent() && entry.predictions().isEmpty()) {
          metrics.unmatched();
        }
        entries.delete(id);
      }
      expiries.delete(key);
    }
  }

  /** Writes the tallies changed since the last time to {@code model-quality}. */
  private void emit() {
    List<KeyValue<String, byte[]>> keys = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = changed.all()) {
      it.forEachRemaining(keys::add);
    }
    for (KeyValue<String, byte[]> key : keys) {
      ModelQuality tally = tallies.get(key.key);
      if (tally != null) {
        context.forward(new Record<Object, Object>(key.key, tally, context.currentSystemTimeMs()));
      }
      changed.delete(key.key);
    }
  }

  private static Bytes expiryKey(long expiry, String id) {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(
        ByteBuffer.allocate(Long.BYTES + idBytes.length).putLong(expiry).put(idBytes).array());
  }

  /** A label record that cannot be joined, with the dead letter that says why. */
  static final class InvalidLabelException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient DeadLetter deadLetter;

    InvalidLabelException(DeadLetter deadLetter) {
      super(deadLetter.message());
      this.deadLetter = deadLetter;
    }
  }
}
