package io.glimpse.pipeline.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One open {@code /events} stream: a bounded queue of frames and a thread of its own that writes
 * them. Whoever {@linkplain #offer offers} a frame never waits: when the queue is full the client
 * is behind and is {@linkplain #drop dropped}. A write that blocks (a client that stopped reading)
 * is ended by interrupting the writer, which closes the socket.
 */
final class SseClient {
  /** Frames a client may have waiting before it counts as not keeping up. */
  static final int QUEUE = 128;

  /** A comment line that keeps proxies from closing an idle stream. */
  private static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.UTF_8);

  private static final long PING_SECONDS = 15;

  private final HttpExchange exchange;
  private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final AtomicLong writingSince = new AtomicLong();
  private final Thread writer;

  SseClient(HttpExchange exchange, String name, Consumer<SseClient> onClose) {
    this.exchange = exchange;
    this.writer =
        new Thread(
            () -> {
              try {
                write();
              } finally {
                open.set(false);
                closeQuietly();
                onClose.accept(this);
              }
            },
            name);
    writer.setDaemon(true);
  }

  /** Sends the response headers, then starts the writer with {@code first} as its first frame. */
  void start(String first) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
    exchange.sendResponseHeaders(200, 0);
    queue.add(first);
    writer.start();
  }

  /** Queues a frame; false when the client is closed or too far behind (then it is dropped). */
  boolean offer(String frame) {
    if (!open.get()) {
      return false;
    }
    if (!queue.offer(frame)) {
      drop();
      return false;
    }
    return true;
  }

  /** True while a single write has been blocked for longer than {@code nanos}. */
  boolean stalledFor(long nanos) {
    long since = writingSince.get();
    return since != 0 && System.nanoTime() - since > nanos;
  }

  boolean isOpen() {
    return open.get();
  }

  /** Ends the stream at once, whatever its writer is doing. */
  void drop() {
    if (open.compareAndSet(true, false)) {
      writer.interrupt(); // a write blocked on the socket ends: the channel closes
    }
  }

  private void write() {
    OutputStream out = exchange.getResponseBody();
    try {
      while (open.get()) {
        String frame = queue.poll(PING_SECONDS, TimeUnit.SECONDS);
        byte[] bytes = frame == null ? PING : frame.getBytes(StandardCharsets.UTF_8);
        writingSince.set(System.nanoTime());
        out.write(bytes);
        out.flush();
        writingSince.set(0);
      }
    } catch (IOException e) {
      // the page went away, or was dropped
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeQuietly() {
    try {
      exchange.close();
    } catch (RuntimeException e) {
      // the socket is gone already
    }
  }
}
