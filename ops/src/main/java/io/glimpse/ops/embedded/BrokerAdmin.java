package io.glimpse.ops.embedded;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin calls the embedded broker makes on itself: readiness probe and topic creation. */
final class BrokerAdmin {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerAdmin.class);
  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

  private BrokerAdmin() {}

  /** Returns once the broker answers DescribeCluster; fails after {@code timeout}. */
  static void awaitReady(String bootstrapServers, Duration timeout) {
    int timeoutMs = (int) Math.max(1_000, timeout.toMillis());
    try (Admin admin = open(bootstrapServers)) {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
          .nodes()
          .get(timeoutMs + 1_000L, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new EmbeddedStackException(
          "Kafka at "
              + bootstrapServers
              + " did not answer within "
              + timeout.toSeconds()
              + " s. Look for Kafka's error in the log above, and check that the machine is not"
              + " short of memory or CPU.",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedStackException("Interrupted while waiting for Kafka to start.", e);
    }
  }

  /** Creates the topics that do not exist yet; existing topics are left as they are. */
  static void createTopics(String bootstrapServers, Collection<NewTopic> topics) {
    try (Admin admin = open(bootstrapServers)) {
      admin.createTopics(topics).values().forEach(BrokerAdmin::awaitCreated);
    }
  }

  private static void awaitCreated(String topic, KafkaFuture<Void> created) {
    try {
      created.get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      LOG.debug("Created topic {}", topic);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        LOG.debug("Topic {} already exists", topic);
        return;
      }
      throw new EmbeddedStackException(
          "Could not create topic "
              + topic
              + ": "
              + e.getCause().getMessage()
              + ". This broker has one node: use replication factor 1 (or leave it unset).",
          e.getCause());
    } catch (TimeoutException e) {
      throw new EmbeddedStackException(
          "Topic " + topic + " was not created within " + TOPIC_TIMEOUT.toSeconds() + " s.", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedStackException("Interrupted while creating topic " + topic + ".", e);
    }
  }

  private static Admin open(String bootstrapServers) {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            AdminClientConfig.CLIENT_ID_CONFIG,
            "glimpse-embedded-admin"));
  }
}
