package io.glimpse.ops.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two pipeline JVMs share the four partitions of {@code images} (same application.id, own state
 * directories). Once both classify, one is SIGKILLed mid-stream: the survivor must take over every
 * partition, restore the dead instance's pending batches, and leave exactly one committed
 * prediction per image.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PipelineFailoverTest {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineFailoverTest.class);
  private static final int IMAGES = 600;
  private static final Duration DEADLINE = Duration.ofMinutes(2);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  private final List<PipelineProcess> instances = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    instances.forEach(PipelineProcess::close);
  }

  @Test
  void survivorTakesOverEveryPartitionAndLosesNothing() throws Exception {
    try (PipelineFixture fixture = PipelineFixture.start(tmp, "failover");
        ImageTraffic traffic = fixture.traffic();
        PredictionLog predictions = fixture.predictions(IsolationLevel.READ_COMMITTED);
        Admin admin =
            Admin.create(
                Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    fixture.stack().bootstrapServers()))) {
      PipelineProcess victim = start(fixture, "a");
      PipelineProcess survivor = start(fixture, "b");
      traffic.startPaced("img", IMAGES, 5, Duration.ofMillis(333));

      boolean bothWorking =
          predictions.pollUntil(
              () ->
                  victim.classified() > 0
                      && survivor.classified() > 0
                      && assignment(admin, fixture).size() == 2,
              DEADLINE);
      assertThat(bothWorking)
          .as(
              "both instances classify and own partitions: %s\n%s\n%s",
              assignment(admin, fixture), victim.logTail(), survivor.logTail())
          .isTrue();
      LOG.info("Before the kill: {}", assignment(admin, fixture));

      long victimClassified = victim.classified();
      long survivorBefore = survivor.classified();
      victim.kill();
      long killed = System.nanoTime();
      Set<Integer> all = new TreeSet<>(List.of(0, 1, 2, 3));
      boolean tookOver =
          predictions.pollUntil(
              () -> {
                Map<String, Set<Integer>> owners = assignment(admin, fixture);
                return owners.size() == 1 && owners.values().iterator().next().equals(all);
              },
              DEADLINE);
      assertThat(tookOver)
          .as(
              "the survivor owns all partitions: %s\n%s",
              assignment(admin, fixture), survivor.logTail())
          .isTrue();
      long takeoverMillis = (System.nanoTime() - killed) / 1_000_000;

      traffic.awaitPaced(DEADLINE);
      Set<String> ids = traffic.acknowledged();
      assertThat(predictions.pollUntil(() -> predictions.coversAll(ids), DEADLINE))
          .as(
              "predictions for all %d images; missing %s\n%s",
              ids.size(), predictions.missing(ids), survivor.logTail())
          .isTrue();
      LOG.info(
          "Instance a classified {} images before its kill; b {} before and {} in all; b owned"
              + " every partition {} ms after the kill, all {} images predicted {} ms after it",
          victimClassified,
          survivorBefore,
          survivor.classified(),
          takeoverMillis,
          ids.size(),
          (System.nanoTime() - killed) / 1_000_000);
      survivor.stop();

      try (PredictionLog committed = fixture.predictions(IsolationLevel.READ_COMMITTED)) {
        assertThat(committed.pollToEnd(DEADLINE)).as("read predictions to the end").isTrue();
        assertThat(committed.missing(ids)).as("images without a prediction").isEmpty();
        assertThat(committed.duplicates()).as("images predicted more than once").isEmpty();
        assertThat(committed.total()).isEqualTo(ids.size());
      }
    }
  }

  private PipelineProcess start(PipelineFixture fixture, String name) {
    Map<String, String> settings =
        fixture.killableSettings("exactly_once_v2", tmp.resolve("state-" + name));
    PipelineProcess process =
        PipelineProcess.start(name, settings, tmp.resolve("instance-" + name + ".log"));
    instances.add(process);
    return process;
  }

  /** Group members (by client id) and the images partitions each owns now. */
  private static Map<String, Set<Integer>> assignment(Admin admin, PipelineFixture fixture) {
    Map<String, Set<Integer>> owners = new TreeMap<>();
    try {
      ConsumerGroupDescription group =
          admin
              .describeConsumerGroups(List.of(fixture.applicationId()))
              .describedGroups()
              .get(fixture.applicationId())
              .get(10, TimeUnit.SECONDS);
      for (MemberDescription member : group.members()) {
        Set<Integer> partitions = new TreeSet<>();
        for (TopicPartition partition : member.assignment().topicPartitions()) {
          if (partition.topic().equals(fixture.imagesTopic())) {
            partitions.add(partition.partition());
          }
        }
        if (!partitions.isEmpty()) {
          owners.put(member.clientId(), partitions);
        }
      }
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("Cannot describe the group yet: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return owners;
  }
}
