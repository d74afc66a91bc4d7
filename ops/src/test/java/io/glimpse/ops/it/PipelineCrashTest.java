package io.glimpse.ops.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.pipeline.config.PipelineConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGKILLs a pipeline JVM at random moments while images stream in, restarting it each time, and
 * lets a last instance finish. Batches are in flight at every kill (linger 200 ms, a backlog after
 * each restart); the changelogged batch buffer must lose none of them. exactly_once_v2 is killed 3
 * times with batches of 16 and must not repeat a prediction, as a read_committed consumer sees it.
 * at_least_once is killed 8 times with batches of 4, so more kills fall between a batch's
 * predictions and the commit that lets its buffer entries be deleted; it may repeat predictions.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PipelineCrashTest {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineCrashTest.class);
  private static final Duration DEADLINE = Duration.ofMinutes(2);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  private final List<PipelineProcess> runs = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    runs.forEach(PipelineProcess::close);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"at_least_once", "exactly_once_v2"})
  void losesNothingWhenKilledMidBatch(String guarantee) throws Exception {
    boolean exactlyOnce = guarantee.equals("exactly_once_v2");
    long seed = Long.getLong("glimpse.it.seed", 20_251_125L) + guarantee.hashCode();
    Random random = new Random(seed);
    int kills = exactlyOnce ? 3 : 8;
    int images = exactlyOnce ? 600 : 1200; // 15 a second: 40 or 80 s of traffic
    LOG.info("Crash test {} with seed {}", guarantee, seed);
    try (PipelineFixture fixture = PipelineFixture.start(tmp, "crash");
        ImageTraffic traffic = fixture.traffic();
        PredictionLog predictions =
            fixture.predictions(
                exactlyOnce ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED)) {
      Map<String, String> settings = crashSettings(fixture, guarantee);
      settings.put(PipelineConfig.BATCH_MAX_SIZE, exactlyOnce ? "16" : "4");
      PipelineProcess current = start(settings);
      traffic.startPaced("img", images, 5, Duration.ofMillis(333));
      for (int kill = 1; kill <= kills; kill++) {
        PipelineProcess victim = current;
        awaitClassified(victim, 1, traffic, predictions);
        long firstBatchMillis = victim.uptime().toMillis();
        int wanted = 5 + random.nextInt(40);
        awaitClassified(victim, wanted, traffic, predictions);
        predictions.pollFor(Duration.ofMillis(random.nextInt(500)));
        long classified = victim.classified();
        victim.kill();
        LOG.info(
            "{}: first batch {} ms after start, killed after {} ms having classified {} images;"
                + " {} predictions visible, {} of {} images published",
            victim.name(),
            firstBatchMillis,
            victim.uptime().toMillis(),
            classified,
            predictions.total(),
            traffic.acknowledged().size(),
            images);
        current = start(settings);
      }
      traffic.awaitPaced(DEADLINE);
      Set<String> ids = traffic.acknowledged();
      PipelineProcess last = current;
      awaitClassified(last, 1, traffic, predictions);
      LOG.info("{}: first batch {} ms after start", last.name(), last.uptime().toMillis());
      assertThat(predictions.pollUntil(() -> predictions.coversAll(ids), DEADLINE))
          .as(
              "predictions for all %d images; missing %s\n%s",
              ids.size(), predictions.missing(ids), last.logTail())
          .isTrue();
      last.stop();
      assertOnePredictionEach(fixture, ids, exactlyOnce);
    }
  }

  /**
   * Reads predictions until {@code process} has classified {@code count} images, or until there is
   * nothing left to classify (everything published has a visible prediction).
   */
  private static void awaitClassified(
      PipelineProcess process, int count, ImageTraffic traffic, PredictionLog predictions) {
    boolean done =
        predictions.pollUntil(
            () ->
                !process.isAlive()
                    || process.classified() >= count
                    || traffic.pacedDone() && predictions.coversAll(traffic.acknowledged()),
            DEADLINE);
    assertThat(done && process.isAlive())
        .as(
            "%s classifies %d images within %s\n%s",
            process.name(), count, DEADLINE, process.logTail())
        .isTrue();
  }

  private Map<String, String> crashSettings(PipelineFixture fixture, String guarantee) {
    Map<String, String> settings = fixture.killableSettings(guarantee, tmp.resolve("state"));
    // Static membership: a restarted instance takes its predecessor's place in the group at once
    // instead of waiting for the killed member's session to expire.
    settings.put("group.instance.id", fixture.applicationId() + "-instance");
    return settings;
  }

  private PipelineProcess start(Map<String, String> settings) {
    int run = runs.size() + 1;
    PipelineProcess process =
        PipelineProcess.start("run-" + run, settings, tmp.resolve("run-" + run + ".log"));
    runs.add(process);
    return process;
  }

  /** Re-reads the whole topic after the last instance committed and stopped. */
  private void assertOnePredictionEach(
      PipelineFixture fixture, Set<String> ids, boolean exactlyOnce) {
    try (PredictionLog all = fixture.predictions(IsolationLevel.READ_COMMITTED)) {
      assertThat(all.pollToEnd(DEADLINE)).as("read the predictions topic to its end").isTrue();
      LOG.info(
          "{} predictions committed for {} images: {} images predicted more than once",
          all.total(),
          ids.size(),
          all.duplicates().size());
      assertThat(all.missing(ids)).as("images without a prediction").isEmpty();
      assertThat(all.keys()).as("predictions for images never published").isSubsetOf(ids);
      all.records()
          .forEach(record -> assertThat(record.value().getImageId()).isEqualTo(record.key()));
      if (exactlyOnce) {
        assertThat(all.duplicates()).as("images predicted more than once").isEmpty();
        assertThat(all.total()).isEqualTo(ids.size());
      }
    }
  }
}
