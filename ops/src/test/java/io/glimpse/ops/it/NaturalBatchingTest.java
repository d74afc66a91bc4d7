package io.glimpse.ops.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.pipeline.GlimpsePipeline;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.schemas.avro.Prediction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Natural batching and the commit request on a real broker, under exactly_once_v2: with a linger
 * and a commit interval of a minute, a lone image is still visible to a read_committed consumer
 * within seconds, in a batch of its own; a backlog that was waiting when the pipeline started is
 * classified in full batches, each partition's remainder last.
 */
class NaturalBatchingTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final int BATCH = 16;

  @TempDir Path tmp;

  private static Map<String, String> slowClocks(PipelineFixture fixture) {
    Map<String, String> settings = fixture.pipelineSettings();
    settings.put("processing.guarantee", "exactly_once_v2");
    settings.put("commit.interval.ms", "60000");
    // Streams refuses a commit interval longer than the transaction timeout.
    settings.put("producer.transaction.timeout.ms", "90000");
    settings.put(PipelineConfig.BATCH_MAX_LINGER_MS, "60000");
    settings.put(PipelineConfig.BATCH_MAX_SIZE, Integer.toString(BATCH));
    return settings;
  }

  @Test
  void aLoneImageIsVisibleLongBeforeTheLingerAndTheCommitInterval() throws Exception {
    try (PipelineFixture fixture = PipelineFixture.start(tmp, "lone");
        ImageTraffic traffic = fixture.traffic();
        PredictionLog predictions = fixture.predictions(IsolationLevel.READ_COMMITTED);
        GlimpsePipeline pipeline = GlimpsePipeline.start(PipelineConfig.of(slowClocks(fixture)))) {
      EndToEndContract.awaitReady(pipeline);
      // The first image also waits for the group to form; the second shows the steady state.
      for (String id : List.of("first", "second")) {
        long sent = System.nanoTime();
        traffic.publish(List.of(ImageTraffic.image(id)));
        assertThat(predictions.pollUntil(() -> predictions.keys().contains(id), DEADLINE))
            .as("a prediction for %s", id)
            .isTrue();
        long millis = (System.nanoTime() - sent) / 1_000_000;
        assertThat(millis)
            .as("publish to read_committed receipt, with a 60 s linger and commit interval")
            .isLessThan(10_000);
      }
      assertThat(predictions.records()).extracting(r -> r.value().getBatchSize()).containsOnly(1);
    }
  }

  @Test
  void aBacklogIsClassifiedInFullBatches() throws Exception {
    try (PipelineFixture fixture = PipelineFixture.start(tmp, "backlog");
        ImageTraffic traffic = fixture.traffic();
        PredictionLog predictions = fixture.predictions(IsolationLevel.READ_COMMITTED)) {
      List<String> ids = traffic.publish("img", 0, 200);
      try (GlimpsePipeline pipeline =
          GlimpsePipeline.start(PipelineConfig.of(slowClocks(fixture)))) {
        assertThat(pipeline.servingStatus().serving()).isTrue();
        assertThat(predictions.pollUntil(() -> predictions.coversAll(ids), DEADLINE))
            .as("predictions for all 200 images; missing %s", predictions.missing(ids))
            .isTrue();
      }
      Map<Integer, int[]> byPartition = new TreeMap<>();
      for (ConsumerRecord<String, Prediction> record : predictions.records()) {
        int[] counts = byPartition.computeIfAbsent(record.partition(), p -> new int[2]);
        counts[0]++;
        if (record.value().getBatchSize() == BATCH) {
          counts[1]++;
        }
      }
      byPartition.forEach(
          (partition, counts) ->
              assertThat(counts[1])
                  .as(
                      "partition %d: %d images, all but the remainder in full batches",
                      partition, counts[0])
                  .isEqualTo(counts[0] / BATCH * BATCH));
    }
  }
}
