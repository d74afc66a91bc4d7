package io.glimpse.ops.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Fresh topics for one benchmark phase, so no phase reads another's images or predictions.
 *
 * @param phase the phase's name, also the prefix of its topics and application id
 * @param images the images topic
 * @param predictions the predictions topic
 * @param deadLetters the dead-letter topic
 */
record BenchTopics(String phase, String images, String predictions, String deadLetters) {

  /** Creates {@code <phase>-images} with {@code partitions}, and the other two, and waits. */
  static BenchTopics create(String bootstrapServers, String phase, int partitions) {
    BenchTopics topics =
        new BenchTopics(phase, phase + "-images", phase + "-predictions", phase + "-images.dlq");
    try (Admin admin =
        Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      admin
          .createTopics(
              List.of(
                  newTopic(topics.images, partitions),
                  newTopic(topics.predictions, partitions),
                  newTopic(topics.deadLetters, 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      awaitLeaders(admin, topics.images(), partitions);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot create the topics of phase " + phase, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topics", e);
    }
    return topics;
  }

  /**
   * Waits until the broker leads every partition: right after creation it may still answer
   * NOT_LEADER_OR_FOLLOWER, and an idempotent producer's retry can then be refused as out of
   * sequence. ListOffsets is answered by the partition leader itself, so its success means ready.
   */
  private static void awaitLeaders(Admin admin, String topic, int partitions)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      request.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        admin.listOffsets(request).all().get(30, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50); // the broker is applying the new topic's metadata
      }
    }
  }

  private static NewTopic newTopic(String name, int partitions) {
    return new NewTopic(name, Optional.of(partitions), Optional.of((short) 1));
  }
}
