package io.glimpse.ops.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.ops.deploy.DeployAssets;
import io.glimpse.pipeline.GlimpsePipeline;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.schemas.avro.Prediction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard of docker-compose.yml cannot drift from the code: every metric its PromQL
 * reads is in the {@code /metrics} scrape of a real pipeline that has classified images,
 * dead-lettered a bad one, joined labels (a right one, a late one, a duplicate, an unknown one, one
 * for no image, an unreadable one) and closed a drift window.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DashboardMetricsTest {
  private static final Duration DEADLINE = Duration.ofMinutes(2);
  private static final int IMAGES = 20;
  private static final Duration JOIN_WINDOW = Duration.ofMinutes(1);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  @Test
  void everyMetricTheDashboardQueriesIsScrapedFromARunningPipeline() throws Exception {
    Set<String> queried = DeployAssets.dashboardMetricNames();
    assertThat(queried)
        .as("the dashboard's panels: images/s, latency, batch size, DLQ, lag, model version,")
        .as("online accuracy, labels by outcome, drift")
        .contains(
            "glimpse_images_classified_total",
            "glimpse_end_to_end_latency_seconds_bucket",
            "glimpse_inference_latency_seconds_bucket",
            "glimpse_batch_size_bucket",
            "glimpse_dlq_records_total",
            "glimpse_model_info",
            "glimpse_labels_correct_total",
            "glimpse_labels_joined_total",
            "glimpse_labels_late_total",
            "glimpse_labels_unknown_total",
            "glimpse_labels_duplicate_total",
            "glimpse_labels_unmatched_total",
            "glimpse_labels_invalid_total",
            "glimpse_drift_psi");
    try (PipelineFixture fixture = PipelineFixture.start(tmp, "dashboard");
        ImageTraffic traffic = fixture.traffic();
        LabelTraffic labels = new LabelTraffic(fixture.clientConfig())) {
      Map<String, String> settings = fixture.pipelineSettings();
      // The embedded stack created the default labels, labels.dlq, model-quality, model-alerts and
      // model-versions topics, labels with as many partitions as this test's predictions.
      settings.put(PipelineConfig.QUALITY_ENABLED, "true");
      settings.put(PipelineConfig.QUALITY_JOIN_WINDOW_MS, Long.toString(JOIN_WINDOW.toMillis()));
      settings.put(PipelineConfig.QUALITY_JOIN_GRACE_MS, "0");
      settings.put(PipelineConfig.DRIFT_WINDOW_IMAGES, "10");
      labels.register(Path.of(settings.get(PipelineConfig.MODEL_PATH)));
      long published = System.currentTimeMillis();
      try (GlimpsePipeline pipeline = GlimpsePipeline.start(PipelineConfig.of(settings))) {
        int port = pipeline.httpPort();
        Awaitility.await("/health/ready answers 200")
            .atMost(DEADLINE)
            .ignoreExceptions()
            .until(() -> PipelineHttp.get(port, "/health/ready").statusCode() == 200);
        traffic.publish("img", 0, IMAGES);
        byte[] garbage = new byte[64];
        new Random(3).nextBytes(garbage);
        traffic.publish(List.of(ImageTraffic.event("bad-png", "image/png", garbage).build()));
        Map<String, String> predicted = predictions(fixture);

        labels.send("img-0", predicted.get("img-0"), published); // joined, correct
        labels.send("img-1", "class-1", published); // joined
        labels.send("img-0", "class-0", published); // a duplicate
        labels.send("img-3", "not-a-class", published); // unknown to the registered version
        labels.send(labels.idBeside("img-2"), "class-2", published); // meets no image: unmatched
        // Beyond window and grace: late. It also moves its partition's stream time past the
        // unmatched label's expiry.
        labels.send("img-2", "class-2", published + Duration.ofMinutes(10).toMillis());
        labels.sendUnreadable("img-4");

        Awaitility.await("images classified and dead-lettered, labels counted, drift measured")
            .atMost(DEADLINE)
            .pollInterval(Duration.ofMillis(250))
            .ignoreExceptions()
            .until(
                () -> {
                  String text = PipelineHttp.get(port, "/metrics").body();
                  return PipelineHttp.sumOf(text, "glimpse_images_classified_total") == IMAGES
                      && PipelineHttp.sumOf(text, "glimpse_dlq_records_total") == 1
                      && PipelineHttp.sumOf(text, "glimpse_labels_joined_total") == 2
                      && PipelineHttp.sumOf(text, "glimpse_labels_correct_total") >= 1
                      && PipelineHttp.sumOf(text, "glimpse_labels_late_total") == 1
                      && PipelineHttp.sumOf(text, "glimpse_labels_unknown_total") == 1
                      && PipelineHttp.sumOf(text, "glimpse_labels_duplicate_total") == 1
                      && PipelineHttp.sumOf(text, "glimpse_labels_unmatched_total") == 1
                      && PipelineHttp.sumOf(text, "glimpse_labels_invalid_total") == 1
                      && sampleNames(text).containsAll(queried);
                });
        Set<String> scraped = sampleNames(PipelineHttp.get(port, "/metrics").body());
        assertThat(scraped).containsAll(queried);
      }
    }
  }

  /** Waits for every image's prediction: image id → top-1 class. */
  private static Map<String, String> predictions(PipelineFixture fixture) {
    try (PredictionLog log = fixture.predictions(IsolationLevel.READ_COMMITTED)) {
      assertThat(log.pollUntil(() -> log.total() >= IMAGES, DEADLINE))
          .as("%d predictions", IMAGES)
          .isTrue();
      Map<String, String> top1 = new HashMap<>();
      for (ConsumerRecord<String, Prediction> record : log.records()) {
        top1.put(record.key(), record.value().getTopK().get(0).getLabel().toString());
      }
      return top1;
    }
  }

  /** The sample names of a Prometheus text scrape. */
  private static Set<String> sampleNames(String text) {
    return text.lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.split("[{ ]", 2)[0])
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
