package io.glimpse.pipeline.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.glimpse.pipeline.PipelineHealth;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /metrics} (Prometheus text format), {@code /health/live}, {@code /health/ready} and {@code
 * /health} (200 when ready, else 503, with a JSON body either way); and, when one is {@linkplain
 * #mountPage mounted}, the live page on every other path. Without a page, other paths are 404.
 *
 * <p>The page is answered on threads of its own ({@link #PAGE_THREADS}), so however slow its routes
 * get, the health endpoints and {@code /metrics} never wait behind them: an orchestrator probing
 * {@code /health/live} gets an answer while Kafka is down.
 */
public final class PipelineHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineHttpServer.class);
  private static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** Threads that answer the live page's requests, apart from the health and metrics ones. */
  static final int PAGE_THREADS = 3;

  private final HttpServer server;
  private final ExecutorService executor;
  private final ExecutorService pageExecutor;
  private final ObjectMapper json = new ObjectMapper();

  /** Binds host:port (port 0 picks a free one); {@link #start()} begins serving. */
  public PipelineHttpServer(
      String host, int port, PrometheusMeterRegistry registry, Supplier<PipelineHealth> health) {
    try {
      this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot bind the metrics/health endpoint to "
              + host
              + ":"
              + port
              + " ("
              + e.getMessage()
              + "); set glimpse.http.port to a free port, 0 for any, or -1 to disable it",
          e);
    }
    // A live page's event streams write on threads of their own: these only answer requests.
    this.executor = daemonPool(3, "glimpse-http");
    this.pageExecutor = daemonPool(PAGE_THREADS, "glimpse-http-page");
    server.setExecutor(executor);
    server.createContext("/metrics", ex -> send(ex, 200, PROMETHEUS_TYPE, registry.scrape()));
    server.createContext("/health/live", ex -> sendHealth(ex, health.get(), health.get().live()));
    server.createContext("/health/ready", ex -> sendHealth(ex, health.get(), health.get().ready()));
    server.createContext("/health", ex -> sendHealth(ex, health.get(), health.get().ready()));
  }

  /**
   * Serves {@code page} on every path the endpoint has no other use for ({@code /}, {@code
   * /events}, ...). Call before {@link #start()}.
   */
  public void mountPage(HttpHandler page) {
    server.createContext("/", exchange -> pageExecutor.execute(() -> answerPage(page, exchange)));
  }

  private static void answerPage(HttpHandler page, HttpExchange exchange) {
    try {
      page.handle(exchange);
    } catch (IOException | RuntimeException e) {
      LOG.debug("The live page could not answer {}", exchange.getRequestURI(), e);
      exchange.close();
    }
  }

  private static ExecutorService daemonPool(int threads, String name) {
    return Executors.newFixedThreadPool(
        threads,
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }

  /** Starts serving. */
  public void start() {
    server.start();
    LOG.info("Metrics and health on http://{}:{}/", server.getAddress().getHostString(), port());
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  private void sendHealth(HttpExchange exchange, PipelineHealth health, boolean ok)
      throws IOException {
    send(exchange, ok ? 200 : 503, "application/json", json.writeValueAsString(health));
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pageExecutor.shutdownNow();
    executor.shutdownNow();
  }
}
