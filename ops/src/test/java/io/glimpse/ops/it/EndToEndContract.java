package io.glimpse.ops.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.glimpse.pipeline.GlimpsePipeline;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.pipeline.dlq.DeadLetterReason;
import io.glimpse.schemas.avro.Prediction;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline in this JVM against a real broker and registry, with a real (tiny) model: every
 * image gets exactly one committed prediction under its own key, bad records reach the DLQ with
 * their reason, and the HTTP endpoint serves metrics and readiness. One set of test bodies; each
 * subclass says which stack it runs on (embedded, or containers where Docker is).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
abstract class EndToEndContract {
  private static final Logger LOG = LoggerFactory.getLogger(EndToEndContract.class);
  private static final int IMAGES = 200;
  private static final Duration DEADLINE = Duration.ofMinutes(2);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  /** Starts the Kafka cluster and schema registry this subclass runs the bodies on. */
  abstract TestStack startStack(Path dir);

  @Test
  void classifiesEveryImageOnceAndDeadLettersBadRecords() throws Exception {
    try (PipelineFixture fixture =
            PipelineFixture.start(tmp, "e2e", startStack(tmp.resolve("stack")));
        ImageTraffic traffic = fixture.traffic();
        PredictionLog predictions = fixture.predictions(IsolationLevel.READ_COMMITTED);
        GlimpsePipeline pipeline =
            GlimpsePipeline.start(PipelineConfig.of(fixture.pipelineSettings()))) {
      awaitReady(pipeline);
      long started = System.nanoTime();
      List<String> ids = traffic.publish("img", 0, IMAGES);
      publishBadRecords(traffic);

      assertThat(predictions.pollUntil(() -> predictions.coversAll(ids), DEADLINE))
          .as("predictions for all %d images; missing %s", IMAGES, predictions.missing(ids))
          .isTrue();
      LOG.info("{} images classified in {} ms", IMAGES, (System.nanoTime() - started) / 1_000_000);
      predictions.pollToEnd(DEADLINE);

      assertThat(predictions.keys()).containsExactlyInAnyOrderElementsOf(ids);
      assertThat(predictions.duplicates()).isEmpty();
      List<Prediction> values = new ArrayList<>();
      for (ConsumerRecord<String, Prediction> record : predictions.records()) {
        assertThat(record.value().getImageId()).isEqualTo(record.key());
        assertThat(record.value().getModelName()).isEqualTo(PipelineFixture.MODEL_NAME);
        assertThat(record.value().getModelVersion()).isEqualTo(PipelineFixture.MODEL_VERSION);
        values.add(record.value());
      }
      long batched = values.stream().filter(p -> p.getBatchSize() > 1).count();
      LOG.info("{} of {} predictions came from batches larger than 1", batched, values.size());
      assertThat(batched)
          .as("predictions from batches of more than one image")
          .isGreaterThan(IMAGES * 8L / 10);

      assertThat(fixture.deadLetterReasons(3, DEADLINE))
          .containsEntry("bad-magic", DeadLetterReason.DESERIALIZATION_FAILED.name())
          .containsEntry("bad-tombstone", DeadLetterReason.NULL_VALUE.name())
          .containsEntry("bad-png", DeadLetterReason.UNDECODABLE_IMAGE.name())
          .hasSize(3);

      assertEndpoint(pipeline);
    }
  }

  private static void publishBadRecords(ImageTraffic traffic) {
    byte[] notConfluent = {1, 0, 0, 0, 1, 2, 3, 4};
    traffic.publishRaw(bytes("bad-magic"), notConfluent);
    traffic.publishRaw(bytes("bad-tombstone"), null);
    byte[] garbage = new byte[64];
    new Random(1).nextBytes(garbage);
    traffic.publish(List.of(ImageTraffic.event("bad-png", "image/png", garbage).build()));
  }

  /** Waits, up to the deadline, until the pipeline's /health/ready answers 200. */
  static void awaitReady(GlimpsePipeline pipeline) {
    Awaitility.await("/health/ready answers 200")
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> PipelineHttp.get(pipeline.httpPort(), "/health/ready").statusCode() == 200);
  }

  private static void assertEndpoint(GlimpsePipeline pipeline) throws IOException {
    HttpResponse<String> metrics = PipelineHttp.get(pipeline.httpPort(), "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("glimpse_images_classified_total", "glimpse_batch_size", "kafka_stream_");
    assertThat(PipelineHttp.sample(metrics.body(), "glimpse_images_classified_total"))
        .hasValue((double) IMAGES);
    assertThat(PipelineHttp.get(pipeline.httpPort(), "/health/ready").statusCode()).isEqualTo(200);
    JsonNode health = PipelineHttp.health(pipeline.httpPort());
    assertThat(health.path("device").asText()).as("device really used").isEqualTo("cpu()");
    assertThat(health.path("servedAs").asText()).isEqualTo("folded TorchScript");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
