package io.glimpse.pipeline.quality;

import io.glimpse.lifecycle.CompactedTopicReader;
import io.glimpse.lifecycle.KafkaConnection;
import io.glimpse.lifecycle.PublishException;
import io.glimpse.schemas.avro.ModelVersion;
import io.glimpse.schemas.serde.GlimpseAvroSerde;
import io.glimpse.schemas.topic.Topic;
import io.glimpse.schemas.topic.Topics;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Serdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The label sets of the versions registered on {@code model-versions}, read when a version is first
 * asked about and kept (versions are immutable). A version not registered (yet) is asked again
 * after {@link #RETRY}; until then its labels all join. A plain read rather than a Streams global
 * store: a global store that finds its checkpoint out of range (a recreated topic, another cluster)
 * stops its whole client.
 */
final class RegisteredLabelSets implements LabelSets {
  private static final Logger LOG = LoggerFactory.getLogger(RegisteredLabelSets.class);
  static final Duration RETRY = Duration.ofSeconds(30);

  private final CompactedTopicReader reader;
  private final Topic<String, ModelVersion> topic;
  private final Map<String, Set<String>> known = new ConcurrentHashMap<>();
  private final Map<String, Long> missingSince = new ConcurrentHashMap<>();

  RegisteredLabelSets(KafkaConnection kafka, String versionsTopic) {
    this.reader = new CompactedTopicReader(kafka);
    this.topic =
        Topic.of(
            versionsTopic,
            Serdes::String,
            () -> new GlimpseAvroSerde<>(ModelVersion.class),
            Map.of());
  }

  @Override
  public Optional<Set<String>> of(String model, String version) {
    String key = Topics.modelVersionKey(model, version);
    Set<String> labels = known.get(key);
    if (labels != null) {
      return Optional.of(labels);
    }
    Long since = missingSince.get(key);
    if (since != null && System.nanoTime() - since < RETRY.toNanos()) {
      return Optional.empty();
    }
    try {
      Map<String, ModelVersion> found = reader.read(topic, key::equals);
      ModelVersion registered = found.get(key);
      if (registered != null) {
        labels = Set.copyOf(new HashSet<>(registered.getLabels()));
        known.put(key, labels);
        missingSince.remove(key);
        return Optional.of(labels);
      }
    } catch (PublishException e) {
      LOG.warn(
          "Could not read the labels of {} v{} ({}); every label joins",
          model,
          version,
          e.getMessage());
    }
    missingSince.put(key, System.nanoTime());
    return Optional.empty();
  }
}
