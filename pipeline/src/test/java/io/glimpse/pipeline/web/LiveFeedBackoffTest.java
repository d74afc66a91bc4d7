package io.glimpse.pipeline.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.glimpse.model.image.ImageDecoder;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

/**
 * The live feed while the broker is unreachable and a page is open: its reader reopens after 0.5 s,
 * 1 s, 2 s, ... rather than at once after every failure.
 */
class LiveFeedBackoffTest {
  @Test
  void reopensLessAndLessOftenWhileTheBrokerIsDown() throws Exception {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = socket.getLocalPort();
    }
    Map<String, Object> consumer =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + deadPort,
            ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 200,
            ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 200,
            ConsumerConfig.RECONNECT_BACKOFF_MS_CONFIG, 50);
    EventHub hub = new EventHub(new ObjectMapper());
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    server.setExecutor(threads);
    server.createContext("/events", exchange -> hub.open(exchange, hub.frame("snapshot", 0)));
    server.start();
    try (LiveFeed feed =
            new LiveFeed(
                consumer,
                new LiveFeed.TopicNames("images", "predictions", "images.dlq"),
                (topic, data) -> null,
                (topic, data) -> null,
                new Thumbnails(ImageDecoder.builder().build()),
                hub,
                () -> "serving",
                new ReaderBackoff(ReaderBackoff.FIRST, ReaderBackoff.MAX));
        Socket page = new Socket("127.0.0.1", server.getAddress().getPort())) {
      OutputStream out = page.getOutputStream();
      out.write("GET /events HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> hub.clients() == 1);
      feed.start();

      await().atMost(Duration.ofSeconds(30)).until(() -> feed.readerFailures() >= 1);
      long first = System.nanoTime();
      await().atMost(Duration.ofSeconds(30)).until(() -> feed.readerFailures() >= 4);
      // Tries 2, 3 and 4 come 0.5 s, 1 s and 2 s after the failure before them (each failing
      // within 0.2 s): reopening at once, four failures would take under a second.
      assertThat(Duration.ofNanos(System.nanoTime() - first))
          .isGreaterThanOrEqualTo(Duration.ofMillis(3500));
    } finally {
      hub.close();
      server.stop(0);
      threads.shutdownNow();
    }
  }
}
