package io.glimpse.pipeline.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The event streams on a real JDK HTTP server and real sockets: a client that never reads is
 * dropped without the broadcaster ever waiting for it, while a client that reads gets every event;
 * no more than {@link EventHub#MAX_CLIENTS} streams are open at once.
 */
class EventHubTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private HttpServer server;
  private EventHub hub;
  private final List<Socket> sockets = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    hub = new EventHub(new ObjectMapper());
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext(
        "/events",
        exchange -> {
          if (!hub.open(exchange, hub.frame("snapshot", Map.of("n", 0)))) {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
          }
        });
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    hub.close();
    for (Socket s : sockets) {
      s.close();
    }
    server.stop(0);
  }

  @Test
  void aClientThatNeverReadsIsDroppedAndNeverSlowsTheBroadcastOrTheOthers() throws Exception {
    Socket stalled = openNeverReading();
    AtomicInteger received = new AtomicInteger();
    Thread reader = readEvents(received);
    Awaitility.await("both streams open").atMost(DEADLINE).until(() -> hub.clients() == 2);

    String payload = "x".repeat(64 * 1024);
    long slowest = 0;
    int sent = 0;
    while (hub.dropped() == 0 && sent < 5_000) {
      long start = System.nanoTime();
      hub.broadcast("item", Map.of("n", sent, "payload", payload));
      slowest = Math.max(slowest, System.nanoTime() - start);
      sent++;
      int expected = sent;
      Awaitility.await("the reading client keeps up")
          .atMost(DEADLINE)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(1))
          .until(() -> received.get() >= expected);
    }

    assertThat(hub.dropped()).as("the client that never reads was dropped").isEqualTo(1);
    assertThat(hub.clients()).as("the reading client is still there").isEqualTo(1);
    assertThat(Duration.ofNanos(slowest))
        .as("no broadcast waited for a client")
        .isLessThan(Duration.ofMillis(500));
    hub.broadcast("item", Map.of("n", "after"));
    int expected = sent + 1;
    Awaitility.await().atMost(DEADLINE).until(() -> received.get() >= expected);
    assertThat(stalled.isClosed()).isFalse(); // our end; the server closed its end
    reader.interrupt();
  }

  @Test
  void refusesStreamsBeyondTheLimit() throws Exception {
    for (int i = 0; i < EventHub.MAX_CLIENTS; i++) {
      openNeverReading();
    }
    Awaitility.await().atMost(DEADLINE).until(() -> hub.clients() == EventHub.MAX_CLIENTS);
    HttpResponse<String> refused =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(uri()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(503);
  }

  private URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events");
  }

  /** Sends the request on a socket with a tiny receive buffer and never reads the answer. */
  private Socket openNeverReading() throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", server.getAddress().getPort()));
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    sockets.add(socket);
    return socket;
  }

  /** Reads the stream on a thread, counting {@code item} events. */
  private Thread readEvents(AtomicInteger items) throws Exception {
    Socket socket = openNeverReading();
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  if (line.equals("event: item")) {
                    items.incrementAndGet();
                  }
                }
              } catch (Exception e) {
                // closed at the end of the test
              }
            },
            "test-event-reader");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
