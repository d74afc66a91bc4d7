package io.glimpse.ops.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.pipeline.GlimpsePipeline;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.pipeline.dlq.DeadLetterReason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 on the embedded stack: a schema registry outage is not bad input, a poison record does
 * not crash-loop its partition, and a large photo gets its prediction once the size limits are
 * raised together.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PipelineFailureTest {
  private static final Duration DEADLINE = Duration.ofMinutes(2);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  /**
   * The pipeline starts while the registry is down (so neither the image schema nor the prediction
   * schema is cached), more images arrive during the outage, and the registry comes back: every
   * image is predicted exactly once and none is dead-lettered; meanwhile /health/ready says why. A
   * second outage after both schemas' ids are cached goes unnoticed.
   */
  @Test
  void aRegistryOutageDelaysImagesButDeadLettersNone() throws Exception {
    try (PipelineFixture fixture = PipelineFixture.start(tmp, "outage");
        ImageTraffic traffic = fixture.traffic();
        PredictionLog predictions = fixture.predictions(IsolationLevel.READ_COMMITTED)) {
      List<String> ids = new ArrayList<>(traffic.publish("before", 0, 40));
      fixture.stack().stopRegistry();
      Map<String, String> settings = fixture.pipelineSettings();
      settings.put(PipelineConfig.OUTAGE_RETRY_BACKOFF_MS, "200");
      settings.put(PipelineConfig.OUTAGE_RETRY_BACKOFF_MAX_MS, "1000");
      try (GlimpsePipeline pipeline = GlimpsePipeline.start(PipelineConfig.of(settings))) {
        Awaitility.await("/health/ready reports the registry outage")
            .atMost(DEADLINE)
            .pollInterval(Duration.ofMillis(200))
            .ignoreExceptions()
            .until(
                () -> {
                  HttpResponse<String> ready = PipelineHttp.get(pipeline.httpPort(), "/health");
                  return ready.statusCode() == 503 && ready.body().contains("schema registry");
                });
        ids.addAll(traffic.publish("during", 0, 40)); // the producer's schema id is cached
        assertThat(PipelineHttp.get(pipeline.httpPort(), "/health/live").statusCode())
            .isEqualTo(200);
        assertThat(predictions.total()).as("nothing classified during the outage").isZero();

        fixture.stack().restartRegistry();

        assertThat(predictions.pollUntil(() -> predictions.coversAll(ids), DEADLINE))
            .as("predictions for all %d images; missing %s", ids.size(), predictions.missing(ids))
            .isTrue();
        Awaitility.await("/health/ready answers 200 again")
            .atMost(DEADLINE)
            .pollInterval(Duration.ofMillis(200))
            .ignoreExceptions()
            .until(
                () -> PipelineHttp.get(pipeline.httpPort(), "/health/ready").statusCode() == 200);

        // A second outage once both schemas' ids are cached changes nothing: no registry call.
        fixture.stack().stopRegistry();
        List<String> cached = traffic.publish("cached", 0, 40);
        ids.addAll(cached);
        assertThat(predictions.pollUntil(() -> predictions.coversAll(ids), DEADLINE))
            .as(
                "images classified while the registry is down again; missing %s",
                predictions.missing(ids))
            .isTrue();
        assertThat(PipelineHttp.get(pipeline.httpPort(), "/health/ready").statusCode())
            .isEqualTo(200);
        fixture.stack().restartRegistry();
      }
      predictions.pollToEnd(DEADLINE);
      assertThat(predictions.keys()).containsExactlyInAnyOrderElementsOf(ids);
      assertThat(predictions.duplicates()).isEmpty();
      assertThat(dlqEndOffset(fixture, fixture.dlqTopic())).as("dead letters").isZero();
    }
  }

  /**
   * A 3 MB JPEG over the 900 KiB default, with the producer, topic and changelog limits raised as
   * glimpse-pipeline-defaults.properties says, is classified.
   */
  @Test
  void aLargePhotoIsClassifiedWhenTheLimitsAreRaisedTogether() throws Exception {
    try (PipelineFixture fixture = PipelineFixture.start(tmp, "large")) {
      String big = Integer.toString(8 * 1024 * 1024);
      String images = "large-" + fixture.imagesTopic();
      fixture
          .stack()
          .broker()
          .createTopics(
              List.of(
                  new NewTopic(images, 1, (short) 1)
                      .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, big))));
      Map<String, String> settings = fixture.pipelineSettings();
      settings.put(PipelineConfig.IMAGES_TOPIC, images);
      settings.put(PipelineConfig.IMAGE_MAX_BYTES, Integer.toString(6 * 1024 * 1024));
      settings.put("producer." + ProducerConfig.MAX_REQUEST_SIZE_CONFIG, big);
      settings.put("topic." + TopicConfig.MAX_MESSAGE_BYTES_CONFIG, big);
      Map<String, Object> client = new HashMap<>(fixture.clientConfig());
      client.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, big);
      byte[] jpeg = noiseJpeg(3 * 1024 * 1024);
      try (ImageTraffic traffic = new ImageTraffic(client, images);
          PredictionLog predictions = fixture.predictions(IsolationLevel.READ_COMMITTED);
          GlimpsePipeline pipeline = GlimpsePipeline.start(PipelineConfig.of(settings))) {
        List<String> ids =
            traffic.publish(List.of(ImageTraffic.event("photo", "image/jpeg", jpeg).build()));
        assertThat(predictions.pollUntil(() -> predictions.coversAll(ids), DEADLINE))
            .as("a prediction for the %d-byte JPEG", jpeg.length)
            .isTrue();
        assertThat(pipeline.health().live()).isTrue();
      }
      assertThat(dlqEndOffset(fixture, fixture.dlqTopic())).isZero();
    }
  }

  /**
   * A record whose buffering always throws (a header key longer than the buffer codec's 64 KB)
   * takes its stream thread down glimpse.failure.max.consecutive times; then it is dead-lettered as
   * PROCESSING_FAILED and the partition moves on: the images after it are classified and the
   * pipeline stays live.
   */
  @Test
  void aPoisonRecordIsDeadLetteredAfterItsRetriesAndThePartitionMovesOn() throws Exception {
    try (PipelineFixture fixture = PipelineFixture.start(tmp, "poison");
        ImageTraffic traffic = fixture.traffic();
        PredictionLog predictions = fixture.predictions(IsolationLevel.READ_COMMITTED);
        GlimpsePipeline pipeline =
            GlimpsePipeline.start(PipelineConfig.of(fixture.pipelineSettings()))) {
      List<String> good = new ArrayList<>(traffic.publish("before", 0, 10));
      Headers poison = new RecordHeaders().add("k".repeat(70_000), new byte[] {1});
      traffic.publish(ImageTraffic.image("poison"), poison);
      good.addAll(traffic.publish("after", 0, 10));

      assertThat(predictions.pollUntil(() -> predictions.coversAll(good), DEADLINE))
          .as("the images after the poison record; missing %s", predictions.missing(good))
          .isTrue();
      assertThat(fixture.deadLetterReasons(1, DEADLINE))
          .containsExactly(Map.entry("poison", DeadLetterReason.PROCESSING_FAILED.name()));
      assertThat(predictions.keys()).doesNotContain("poison");
      assertThat(pipeline.health().live()).isTrue();
    }
  }

  /** A JPEG of colour noise of at least {@code minBytes}. */
  private static byte[] noiseJpeg(int minBytes) throws IOException {
    int side = 1600;
    Random random = new Random(3);
    while (true) {
      BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          image.setRGB(x, y, random.nextInt(1 << 24));
        }
      }
      ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.9f);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
        writer.setOutput(out);
        writer.write(null, new IIOImage(image, null, null), param);
      } finally {
        writer.dispose();
      }
      if (bytes.size() >= minBytes) {
        return bytes.toByteArray();
      }
      side += 400;
    }
  }

  /** The end offset of partition 0 of {@code topic}: 0 when nothing was ever written to it. */
  private static long dlqEndOffset(PipelineFixture fixture, String topic) {
    Map<String, Object> config = new HashMap<>(fixture.clientConfig());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      return consumer.endOffsets(List.of(partition)).get(partition);
    }
  }
}
