package io.glimpse.schemas.topic;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic with its key and value types: its name, how to make its serdes, and the topic
 * configuration it needs (for example {@code cleanup.policy=compact}). Immutable; declared once in
 * {@link Topics}.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class Topic<K, V> {
  private final String name;
  private final Supplier<Serde<K>> keySerde;
  private final Supplier<Serde<V>> valueSerde;
  private final Map<String, String> topicConfig;

  private Topic(
      String name,
      Supplier<Serde<K>> keySerde,
      Supplier<Serde<V>> valueSerde,
      Map<String, String> topicConfig) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("A topic needs a name");
    }
    this.name = name;
    this.keySerde = Objects.requireNonNull(keySerde, "keySerde");
    this.valueSerde = Objects.requireNonNull(valueSerde, "valueSerde");
    this.topicConfig = Map.copyOf(topicConfig);
  }

  /** Declares a topic; serdes are created fresh (and configured) on every request. */
  public static <K, V> Topic<K, V> of(
      String name,
      Supplier<Serde<K>> keySerde,
      Supplier<Serde<V>> valueSerde,
      Map<String, String> topicConfig) {
    return new Topic<>(name, keySerde, valueSerde, topicConfig);
  }

  /** The topic name. */
  public String name() {
    return name;
  }

  /** Topic-level configuration this topic must be created with (may be empty). */
  public Map<String, String> topicConfig() {
    return topicConfig;
  }

  /** The same topic under another name (a prefix per environment, say). */
  public Topic<K, V> withName(String newName) {
    return new Topic<>(newName, keySerde, valueSerde, topicConfig);
  }

  /** A new key serde configured with the serde configuration (schema.registry.url, ...). */
  public Serde<K> keySerde(Map<String, ?> serdeConfig) {
    Serde<K> serde = keySerde.get();
    serde.configure(serdeConfig, true);
    return serde;
  }

  /** A new value serde configured with the serde configuration (schema.registry.url, ...). */
  public Serde<V> valueSerde(Map<String, ?> serdeConfig) {
    Serde<V> serde = valueSerde.get();
    serde.configure(serdeConfig, false);
    return serde;
  }

  /** An admin request creating this topic with its configuration. */
  public NewTopic newTopic(Optional<Integer> partitions, Optional<Short> replicationFactor) {
    return new NewTopic(name, partitions, replicationFactor).configs(topicConfig);
  }

  @Override
  public String toString() {
    return "Topic[" + name + "]";
  }
}
