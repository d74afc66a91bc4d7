package io.glimpse.pipeline.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open {@code /events} streams: at most {@link #MAX_CLIENTS} of them. {@link #broadcast} turns
 * an event into one Server-Sent Events frame and offers it to every client without waiting; a
 * client whose queue is full, or whose write has been blocked longer than {@link #STALL}, is
 * dropped (the page reconnects by itself, and gets a fresh snapshot).
 */
final class EventHub implements AutoCloseable {
  static final int MAX_CLIENTS = 8;
  static final Duration STALL = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);

  private final ObjectMapper json;
  private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
  private final AtomicLong opened = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  EventHub(ObjectMapper json) {
    this.json = json;
  }

  /**
   * Opens a stream on the exchange whose first frame is {@code first}; false (nothing sent) when
   * {@link #MAX_CLIENTS} are open already.
   */
  synchronized boolean open(HttpExchange exchange, String first) throws IOException {
    clients.removeIf(c -> !c.isOpen());
    if (clients.size() >= MAX_CLIENTS) {
      return false;
    }
    SseClient client =
        new SseClient(exchange, "glimpse-web-events-" + opened.incrementAndGet(), clients::remove);
    clients.add(client);
    try {
      client.start(first);
    } catch (IOException | RuntimeException e) {
      clients.remove(client);
      throw e;
    }
    notifyAll();
    return true;
  }

  /** Offers an event to every client; never blocks. */
  void broadcast(String type, Object payload) {
    if (clients.isEmpty()) {
      return;
    }
    String frame = frame(type, payload);
    long stall = STALL.toNanos();
    for (SseClient client : clients) {
      if (client.stalledFor(stall) || !client.offer(frame)) {
        client.drop();
        clients.remove(client);
        LOG.info("Dropped a live-page client that was not reading its event stream");
        dropped.incrementAndGet();
      }
    }
  }

  /** One Server-Sent Events frame: {@code event: <type>} and the payload as one JSON line. */
  String frame(String type, Object payload) {
    try {
      return "event: " + type + "\ndata: " + json.writeValueAsString(payload) + "\n\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many streams are open. */
  int clients() {
    clients.removeIf(c -> !c.isOpen());
    return clients.size();
  }

  /** How many clients were dropped for not keeping up. */
  long dropped() {
    return dropped.get();
  }

  /** Waits up to {@code millis} for a client to open a stream. */
  synchronized void awaitClient(long millis) throws InterruptedException {
    if (clients() == 0) {
      wait(millis);
    }
  }

  @Override
  public void close() {
    clients.forEach(SseClient::drop);
    clients.clear();
  }
}
