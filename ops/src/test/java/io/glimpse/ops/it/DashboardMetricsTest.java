package io.glimpse.ops.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.ops.deploy.DeployAssets;
import io.glimpse.pipeline.GlimpsePipeline;
import io.glimpse.pipeline.config.PipelineConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard of docker-compose.yml cannot drift from the code: every metric its PromQL
 * reads is in the {@code /metrics} scrape of a real pipeline that has classified images and
 * dead-lettered a bad one.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DashboardMetricsTest {
  private static final Duration DEADLINE = Duration.ofMinutes(2);
  private static final int IMAGES = 20;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  @Test
  void everyMetricTheDashboardQueriesIsScrapedFromARunningPipeline() throws Exception {
    Set<String> queried = DeployAssets.dashboardMetricNames();
    assertThat(queried)
        .as("the dashboard's panels: images/s, latency, batch size, DLQ, lag, model version")
        .contains(
            "glimpse_images_classified_total",
            "glimpse_end_to_end_latency_seconds_bucket",
            "glimpse_inference_latency_seconds_bucket",
            "glimpse_batch_size_bucket",
            "glimpse_dlq_records_total",
            "glimpse_model_info");
    try (PipelineFixture fixture = PipelineFixture.start(tmp, "dashboard");
        ImageTraffic traffic = fixture.traffic();
        GlimpsePipeline pipeline =
            GlimpsePipeline.start(PipelineConfig.of(fixture.pipelineSettings()))) {
      int port = pipeline.httpPort();
      Awaitility.await("/health/ready answers 200")
          .atMost(DEADLINE)
          .ignoreExceptions()
          .until(() -> PipelineHttp.get(port, "/health/ready").statusCode() == 200);
      traffic.publish("img", 0, IMAGES);
      byte[] garbage = new byte[64];
      new Random(3).nextBytes(garbage);
      traffic.publish(List.of(ImageTraffic.event("bad-png", "image/png", garbage).build()));

      Awaitility.await("every image classified, the bad one dead-lettered, all series scraped")
          .atMost(DEADLINE)
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(
              () -> {
                String text = PipelineHttp.get(port, "/metrics").body();
                return PipelineHttp.sumOf(text, "glimpse_images_classified_total") == IMAGES
                    && PipelineHttp.sumOf(text, "glimpse_dlq_records_total") == 1
                    && sampleNames(text).containsAll(queried);
              });
      Set<String> scraped = sampleNames(PipelineHttp.get(port, "/metrics").body());
      assertThat(scraped).containsAll(queried);
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
