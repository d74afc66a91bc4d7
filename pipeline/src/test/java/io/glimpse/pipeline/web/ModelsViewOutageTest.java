package io.glimpse.pipeline.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.glimpse.lifecycle.PublishException;
import io.glimpse.model.image.ImageDecoder;
import io.glimpse.pipeline.PipelineHealth;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.pipeline.http.PipelineHttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The models page while Kafka does not answer: its reads run on the view's own thread, so page
 * requests return the last view at once and {@code /health/live} keeps answering.
 */
class ModelsViewOutageTest {
  private static final PipelineHealth LIVE =
      new PipelineHealth(
          true, false, "RUNNING", "m", null, null, null, null, null, null, null, null, "kafka");

  @Test
  void pageAndHealthAnswerAtOnceWhileTheBrokerIsUnreachable() throws Exception {
    PipelineConfig config =
        PipelineConfig.of(
            Map.of(
                "bootstrap.servers", "127.0.0.1:" + closedPort(),
                "schema.registry.url", "http://127.0.0.1:" + closedPort()));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    try (PipelineHttpServer server = new PipelineHttpServer("127.0.0.1", 0, registry, () -> LIVE);
        WebConsole web = WebConsole.create(config, ImageDecoder.builder().build(), () -> LIVE)) {
      server.mountPage(web);
      server.start();
      String base = "http://127.0.0.1:" + server.port();

      // Each read of the unreachable broker takes the full 5 s timeout: answered inline, 30
      // requests would hold every thread for minutes.
      List<CompletableFuture<HttpResponse<String>>> pages = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        pages.add(http.sendAsync(get(base + "/api/models"), HttpResponse.BodyHandlers.ofString()));
      }
      HttpResponse<String> health =
          http.send(get(base + "/health/live"), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      for (CompletableFuture<HttpResponse<String>> page : pages) {
        HttpResponse<String> response = page.get(3, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"models\"");
      }
    }
  }

  @Test
  void oneRefreshAtATimeAndTheFailureIsReported() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger loads = new AtomicInteger();
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    try (ModelsView view =
        new ModelsView(
            () -> {
              loads.incrementAndGet();
              awaitQuietly(release);
              throw new PublishException("broker 127.0.0.1:1 unreachable");
            },
            now::get)) {
      for (int i = 0; i < 50; i++) {
        assertThat(view.snapshot()).containsEntry("loading", true);
        now.updateAndGet(t -> t.plusSeconds(10));
      }
      // The refresh starts on the view's own thread: wait for it, then ask again while it blocks.
      await().atMost(Duration.ofSeconds(10)).until(() -> loads.get() >= 1);
      for (int i = 0; i < 50; i++) {
        assertThat(view.snapshot()).containsEntry("loading", true);
        now.updateAndGet(t -> t.plusSeconds(10));
      }
      assertThat(loads).hasValue(1);
      release.countDown();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> view.snapshot().containsKey("unavailable"));
      assertThat(view.snapshot())
          .containsEntry("error", "broker 127.0.0.1:1 unreachable")
          .containsEntry("unavailable", "unavailable: broker 127.0.0.1:1 unreachable");
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).as("released").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
