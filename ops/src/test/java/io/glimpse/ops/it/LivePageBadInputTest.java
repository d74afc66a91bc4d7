package io.glimpse.ops.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.glimpse.ops.HeadlessChromium;
import io.glimpse.pipeline.GlimpsePipeline;
import io.glimpse.pipeline.config.PipelineConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.IsolationLevel;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Bad input on the live page's own endpoints does not hurt the pipeline: unknown paths are 404,
 * writes 405, huge request targets 414; streams that are opened and never read fill the page's
 * client limit (the next one is refused with 503) without slowing classification, /health or
 * /metrics; a browser refused meanwhile says so and retries, and goes live once a place is free
 * (where chromium is installed); once the streams are gone, their places are free again.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LivePageBadInputTest {
  private static final Duration DEADLINE = Duration.ofMinutes(2);
  private static final int MAX_CLIENTS = 8;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  @Test
  void badRequestsAndClientsThatNeverReadDoNotHurtThePipeline() throws Exception {
    try (PipelineFixture fixture = PipelineFixture.start(tmp, "web-bad-input");
        ImageTraffic traffic = fixture.traffic();
        PredictionLog predictions = fixture.predictions(IsolationLevel.READ_COMMITTED);
        GlimpsePipeline pipeline =
            GlimpsePipeline.start(PipelineConfig.of(fixture.pipelineSettings()))) {
      int port = pipeline.httpPort();
      PipelineHttp.awaitServing(port, PipelineFixture.MODEL_VERSION, DEADLINE);

      assertThat(PipelineHttp.get(port, "/").body()).contains("<title>Glimpse");
      assertThat(PipelineHttp.get(port, "/nope").statusCode()).isEqualTo(404);
      assertThat(PipelineHttp.get(port, "/static/../../etc/passwd").statusCode()).isEqualTo(404);
      assertThat(PipelineHttp.get(port, "/static/").statusCode()).isEqualTo(404);
      assertThat(PipelineHttp.get(port, "/?q=" + "a".repeat(100_000)).statusCode()).isEqualTo(414);
      assertThat(rawStatus(port, "POST /api/models HTTP/1.1")).isEqualTo(405);
      assertThat(rawStatus(port, "DELETE / HTTP/1.1")).isEqualTo(405);

      List<Socket> neverRead = new ArrayList<>();
      WebDriver browser = HeadlessChromium.installed() ? HeadlessChromium.start() : null;
      try {
        for (int i = 0; i < MAX_CLIENTS; i++) {
          neverRead.add(openEvents(port));
        }
        Awaitility.await("the page's client limit refuses one more stream")
            .atMost(DEADLINE)
            .until(() -> rawStatus(port, "GET /events HTTP/1.1") == 503);
        if (browser != null) {
          // Refused with 503, the browser's EventSource gives up; the page says why and retries.
          browser.get("http://127.0.0.1:" + port + "/");
          new WebDriverWait(browser, DEADLINE)
              .withMessage("a refused page says why and that it retries")
              .until(b -> connectionPill(b).contains("the pipeline serves at most 8 open pages"));
        }

        List<String> ids = traffic.publish("while-not-read", 0, 300);
        assertThat(predictions.pollUntil(() -> predictions.coversAll(ids), DEADLINE))
            .as("classification goes on; missing %s", predictions.missing(ids))
            .isTrue();
        long start = System.nanoTime();
        assertThat(PipelineHttp.get(port, "/health").statusCode()).isEqualTo(200);
        assertThat(PipelineHttp.get(port, "/metrics").statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .as("/health and /metrics answer at once")
            .isLessThan(Duration.ofSeconds(5));
        for (Socket socket : neverRead) {
          socket.close();
        }
        Awaitility.await("a place is free again once the streams that were not read are gone")
            .atMost(DEADLINE)
            .until(() -> rawStatus(port, "GET /events HTTP/1.1") == 200);
        if (browser != null) {
          new WebDriverWait(browser, DEADLINE)
              .withMessage("a refused page goes live once a place is free")
              .until(b -> connectionPill(b).equals("live"));
        }
      } finally {
        for (Socket socket : neverRead) {
          socket.close();
        }
        if (browser != null) {
          browser.quit();
        }
      }
    }
  }

  private static String connectionPill(WebDriver browser) {
    return browser.findElement(By.id("connection")).getText();
  }

  /** Opens {@code /events} with a tiny receive buffer and reads nothing. */
  private static Socket openEvents(int port) throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    send(socket, "GET /events HTTP/1.1");
    return socket;
  }

  private static int rawStatus(int port, String requestLine) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      send(socket, requestLine);
      String status =
          new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      return Integer.parseInt(status.split(" ")[1]);
    }
  }

  private static void send(Socket socket, String requestLine) throws Exception {
    OutputStream out = socket.getOutputStream();
    out.write(
        (requestLine + "\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }
}
