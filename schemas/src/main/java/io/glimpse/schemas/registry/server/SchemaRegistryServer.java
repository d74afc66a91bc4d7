package io.glimpse.schemas.registry.server;

import com.sun.net.httpserver.HttpServer;
import io.glimpse.schemas.registry.RegistryErrorCode;
import io.glimpse.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Confluent-compatible schema registry over HTTP (the JDK's {@link HttpServer}), serving a {@link
 * SchemaRegistryService} over a {@link SchemaStore}.
 *
 * <pre>{@code
 * try (SchemaRegistryServer registry =
 *     SchemaRegistryServer.builder().setStore(new InMemorySchemaStore()).build().start()) {
 *   String url = registry.url(); // http://127.0.0.1:<ephemeral port>
 * }
 * }</pre>
 *
 * <p>The server owns its store: {@link #close()} closes the store when it is {@link AutoCloseable}
 * (as {@link KafkaSchemaStore} is). Requests are served by four daemon threads; another reads what
 * other registries sharing the store wrote, every {@link Builder#optRefreshInterval} (1 s).
 */
public final class SchemaRegistryServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);
  private static final int THREADS = 4;
  private static final AtomicInteger THREAD_SEQ = new AtomicInteger();

  private final SchemaStore store;
  private final SchemaRegistryService service;
  private final String host;
  private final int requestedPort;
  private final Duration refreshInterval;
  private HttpServer http;
  private LogRefresher refresher;
  private ExecutorService executor;
  private boolean closed;

  private SchemaRegistryServer(Builder builder) {
    this.store = builder.store;
    this.host = builder.host;
    this.requestedPort = builder.port;
    this.refreshInterval = builder.refreshInterval;
    this.service = new SchemaRegistryService(store);
  }

  /** Starts a builder; {@link Builder#setStore} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the address and starts serving.
   *
   * @return this server
   * @throws UncheckedIOException when the address cannot be bound
   * @throws IllegalStateException when already started or closed
   */
  public synchronized SchemaRegistryServer start() {
    if (http != null || closed) {
      throw new IllegalStateException("The schema registry was already started or is closed");
    }
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, requestedPort), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot bind the schema registry to "
              + host
              + ":"
              + requestedPort
              + " ("
              + e.getMessage()
              + "); choose a free port, or 0 for an ephemeral one",
          e);
    }
    executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
    server.setExecutor(executor);
    server.createContext("/", new RegistryHttpHandler(new RegistryRoutes(service)));
    server.start();
    http = server;
    if (!refreshInterval.isZero()) {
      refresher = new LogRefresher(service, refreshInterval);
    }
    LOG.info("Schema registry listening on {}", url());
    return this;
  }

  /** The base URL, for example {@code http://127.0.0.1:8081}. Only once started. */
  public synchronized String url() {
    String shown = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + shown + ":" + port();
  }

  /** The bound port (the ephemeral one when the builder asked for 0). Only once started. */
  public synchronized int port() {
    if (http == null) {
      throw new IllegalStateException("The schema registry is not started; call start() first");
    }
    return http.getAddress().getPort();
  }

  /** The service behind the endpoints, for callers in the same JVM. */
  public SchemaRegistryService service() {
    return service;
  }

  /**
   * Stops serving at once (requests in flight are cut off) and closes the store when it is {@link
   * AutoCloseable}. Idempotent.
   *
   * @throws SchemaRegistryException STORE_ERROR when the store fails to close
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (refresher != null) {
      refresher.close();
    }
    if (http != null) {
      http.stop(0);
      executor.shutdownNow();
      LOG.info("Schema registry on port {} stopped", http.getAddress().getPort());
    }
    if (store instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        throw new SchemaRegistryException(
            RegistryErrorCode.STORE_ERROR.httpStatus(),
            RegistryErrorCode.STORE_ERROR.code(),
            "The schema store failed to close: " + e.getMessage(),
            e);
      }
    }
  }

  private static ThreadFactory daemonThreads() {
    return runnable -> {
      Thread thread = new Thread(runnable, "glimpse-registry-http-" + THREAD_SEQ.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Builds a {@link SchemaRegistryServer}: {@code setStore} is required, {@code opt*} optional. */
  public static final class Builder {
    private SchemaStore store;
    private String host = "127.0.0.1";
    private int port;
    private Duration refreshInterval = Duration.ofSeconds(1);

    private Builder() {}

    /** The log the registry replays on build and writes to; the server will close it. */
    public Builder setStore(SchemaStore store) {
      this.store = store;
      return this;
    }

    /** The address to bind; default {@code 127.0.0.1} (this machine only). */
    public Builder optHost(String host) {
      this.host = host;
      return this;
    }

    /** The port to bind; default 0, an ephemeral port (read it with {@link #port()}). */
    public Builder optPort(int port) {
      this.port = port;
      return this;
    }

    /**
     * How often to read what other registries sharing the store wrote; default 1 s, {@link
     * Duration#ZERO} never (writes and "not found" answers still read the store first).
     */
    public Builder optRefreshInterval(Duration refreshInterval) {
      this.refreshInterval = refreshInterval;
      return this;
    }

    /**
     * Validates the settings and replays the store; does not bind yet ({@link #start()} does).
     *
     * @throws IllegalArgumentException for a missing store, blank host, port outside 0..65535 or a
     *     negative refresh interval
     * @throws SchemaRegistryException when the store cannot be replayed
     */
    public SchemaRegistryServer build() {
      if (store == null) {
        throw new IllegalArgumentException(
            "setStore(...) is required: pass an InMemorySchemaStore or a KafkaSchemaStore");
      }
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException(
            "optHost needs a host name or address, got '" + host + "'");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(
            "optPort needs 0 (ephemeral) or a port up to 65535, got " + port);
      }
      if (refreshInterval == null || refreshInterval.isNegative()) {
        throw new IllegalArgumentException(
            "optRefreshInterval needs zero (never) or a positive duration, got " + refreshInterval);
      }
      return new SchemaRegistryServer(this);
    }
  }
}
