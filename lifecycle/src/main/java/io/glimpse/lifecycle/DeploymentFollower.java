package io.glimpse.lifecycle;

import io.glimpse.schemas.avro.ModelDeployment;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted {@code model-deployments} topic on a thread of its own, with a consumer of
 * its own (no group: every instance reads every partition from the beginning), and hands each
 * deployment of one model name to a callback on that thread. At start it reads up to the end of the
 * topic first and hands over only the latest deployment, so a (re)started instance loads what is
 * deployed now, not every version in the history; after that each new deployment in turn.
 *
 * <p>Loading therefore never runs on a stream thread. A record that does not deserialize is logged
 * and skipped: it cannot be a deployment of this model.
 */
public final class DeploymentFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeploymentFollower.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Deserializer<ModelDeployment> deserializer;
  private final String topic;
  private final String modelName;
  private final Consumer<ModelDeployment> onDeployment;
  private final Runnable onCaughtUp;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;

  /**
   * A follower; {@link #start()} begins reading.
   *
   * @param clientConfig bootstrap servers and security settings for the consumer
   * @param deserializer reads {@code ModelDeployment} values (configured for the registry)
   * @param topic the deployments topic
   * @param modelName the model name whose deployments to hand over
   * @param onDeployment called on the follower's thread with each deployment of the name
   * @param onCaughtUp called once, after the records that existed at start were read (and the
   *     latest of them handed over)
   */
  public DeploymentFollower(
      Map<String, Object> clientConfig,
      Deserializer<ModelDeployment> deserializer,
      String topic,
      String modelName,
      Consumer<ModelDeployment> onDeployment,
      Runnable onCaughtUp) {
    Map<String, Object> config = new HashMap<>();
    clientConfig.forEach(
        (k, v) -> {
          if (ConsumerConfig.configNames().contains(k)) {
            config.put(k, v);
          }
        });
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "glimpse-deployments-" + modelName);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.deserializer = deserializer;
    this.topic = Objects.requireNonNull(topic);
    this.modelName = Objects.requireNonNull(modelName);
    this.onDeployment = onDeployment;
    this.onCaughtUp = onCaughtUp;
    this.thread = new Thread(this::run, "glimpse-deployments-" + modelName);
    thread.setDaemon(true);
  }

  /** Starts following. */
  public synchronized void start() {
    thread.start();
  }

  private void run() {
    try {
      List<TopicPartition> partitions = assignAll();
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      ModelDeployment latest = null;
      while (running && !reached(end)) {
        latest = newest(consumer.poll(POLL), latest);
      }
      LOG.info(
          "Read {}: {}",
          topic,
          latest == null
              ? "no deployment of model " + modelName + " yet; waiting for one"
              : "model " + modelName + " is deployed at version " + latest.getVersion());
      if (latest != null) {
        hand(latest);
      }
      onCaughtUp.run();
      while (running) {
        ModelDeployment next = newest(consumer.poll(POLL), null);
        if (next != null) {
          hand(next);
        }
      }
    } catch (WakeupException e) {
      // close() asked to stop
    } catch (KafkaException e) {
      if (running) {
        LOG.error("Stopped following {}: {}; restart the pipeline", topic, e.getMessage(), e);
      }
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private List<TopicPartition> assignAll() {
    List<TopicPartition> partitions;
    while ((partitions = partitionsOf(topic)).isEmpty() && running) {
      LOG.info("Topic {} does not exist yet; waiting for it", topic);
      try {
        stopped.await(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WakeupException();
      }
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return partitions;
  }

  private List<TopicPartition> partitionsOf(String name) {
    List<PartitionInfo> infos;
    try {
      infos = consumer.partitionsFor(name, Duration.ofSeconds(10));
    } catch (TimeoutException e) {
      LOG.warn("Kafka did not answer for {} within 10 s; retrying", name);
      return List.of();
    }
    return infos == null
        ? List.of()
        : infos.stream().map(p -> new TopicPartition(name, p.partition())).toList();
  }

  private boolean reached(Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  /** The newest deployment of the model among {@code records}, else {@code newest}. */
  private ModelDeployment newest(
      Iterable<ConsumerRecord<byte[], byte[]>> records, ModelDeployment newest) {
    for (ConsumerRecord<byte[], byte[]> record : records) {
      if (record.value() == null) {
        continue; // a tombstone: compaction's business, not a deployment
      }
      try {
        ModelDeployment deployment =
            deserializer.deserialize(record.topic(), record.headers(), record.value());
        if (modelName.equals(deployment.getModelName())) {
          newest = deployment;
        }
      } catch (KafkaException e) {
        LOG.warn(
            "Skipping {}-{}@{}: not a ModelDeployment ({})",
            record.topic(),
            record.partition(),
            record.offset(),
            e.getMessage());
      }
    }
    return newest;
  }

  private void hand(ModelDeployment deployment) {
    try {
      onDeployment.accept(deployment);
    } catch (RuntimeException e) {
      LOG.error("Applying deployment {} failed unexpectedly", deployment.getVersion(), e);
    }
  }

  /** Stops following and waits for an apply in progress to finish (up to 60 s). */
  @Override
  public synchronized void close() {
    running = false;
    stopped.countDown();
    if (!thread.isAlive() && thread.getState() == Thread.State.NEW) {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      return;
    }
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(60).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
