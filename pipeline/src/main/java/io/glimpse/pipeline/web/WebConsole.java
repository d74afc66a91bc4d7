package io.glimpse.pipeline.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.glimpse.lifecycle.CompactedTopicReader;
import io.glimpse.model.image.ImageDecoder;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.schemas.topic.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The live page, as one handler for every path the endpoint has no other use for: {@code /} (the
 * page), {@code /static/*} (its script and style, from the jar), {@code /events} (Server-Sent
 * Events: a snapshot, then items, dead letters, stats and swaps), {@code /api/live} and {@code
 * /api/models} (the same data as JSON, for scripts). Read-only: no route changes anything, and only
 * GET and HEAD are answered. Anything else is 404 (unknown path), 405 (method), 414 (a request
 * target over {@link #MAX_TARGET} characters) or 503 (more than {@link EventHub#MAX_CLIENTS} open
 * streams).
 */
public final class WebConsole implements HttpHandler, AutoCloseable {
  /** The longest request target (path and query) answered. */
  static final int MAX_TARGET = 2048;

  private static final Map<String, String> FILES =
      Map.of(
          "/", "web/index.html",
          "/index.html", "web/index.html",
          "/static/app.js", "web/app.js",
          "/static/style.css", "web/style.css");

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "application/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8");

  private final ObjectMapper json;
  private final EventHub hub;
  private final LiveFeed feed;
  private final ModelsView models;
  private final Supplier<?> serving;

  private WebConsole(
      ObjectMapper json, EventHub hub, LiveFeed feed, ModelsView models, Supplier<?> serving) {
    this.json = json;
    this.hub = hub;
    this.feed = feed;
    this.models = models;
    this.serving = serving;
  }

  /**
   * The page of a pipeline with this configuration; {@link #start()} starts its feed, which reads
   * nothing until a page opens.
   *
   * @param config the pipeline's configuration: brokers, registry, topics, instance
   * @param decoder the pipeline's image decoder (its pixel limit applies to thumbnails too)
   * @param serving what this instance serves now (serialized as JSON; its /health body)
   * @return the console
   */
  public static WebConsole create(
      PipelineConfig config, ImageDecoder decoder, Supplier<?> serving) {
    ObjectMapper json = new ObjectMapper();
    EventHub hub = new EventHub(json);
    Map<String, Object> serde = config.serdeConfig();
    LiveFeed feed =
        new LiveFeed(
            WebClients.consumerConfig(config, "glimpse-web-" + config.instanceId()),
            new LiveFeed.TopicNames(
                config.imagesTopic(), config.predictionsTopic(), config.dlqTopic()),
            Topics.PREDICTIONS.valueSerde(serde).deserializer(),
            Topics.IMAGES.valueSerde(serde).deserializer(),
            new Thumbnails(decoder),
            hub,
            serving,
            new ReaderBackoff(ReaderBackoff.FIRST, ReaderBackoff.MAX));
    ModelsView models =
        new ModelsView(
            new CompactedTopicReader(WebClients.kafka(config)),
            new ModelsView.TopicNames(
                config.get(PipelineConfig.VERSIONS_TOPIC).orElse(Topics.MODEL_VERSIONS.name()),
                config.deploymentsTopic(),
                config.servingStatusTopic(),
                config.get(PipelineConfig.QUALITY_TOPIC).orElse(Topics.MODEL_QUALITY.name())),
            Instant::now);
    return new WebConsole(json, hub, feed, models, serving);
  }

  /** Starts the feed's thread (idle until a page opens). */
  public void start() {
    feed.start();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String target = exchange.getRequestURI().toString();
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    if (target.length() > MAX_TARGET) {
      text(exchange, 414, "Request target too long (at most " + MAX_TARGET + " characters)");
    } else if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      text(exchange, 405, "The live page is read-only: GET and HEAD only");
    } else if (FILES.containsKey(path)) {
      file(exchange, FILES.get(path));
    } else if (path.equals("/events")) {
      events(exchange);
    } else if (path.equals("/api/live")) {
      send(exchange, 200, "application/json", json.writeValueAsBytes(live()));
    } else if (path.equals("/api/models")) {
      send(exchange, 200, "application/json", json.writeValueAsBytes(models.snapshot()));
    } else {
      text(exchange, 404, "Not found: the live page is at /, its data at /events and /api/*");
    }
  }

  private Map<String, Object> live() {
    Map<String, Object> live = new LinkedHashMap<>(feed.snapshot());
    live.put("serving", serving.get());
    return live;
  }

  private void events(HttpExchange exchange) throws IOException {
    if (!hub.open(exchange, hub.frame("snapshot", live()))) {
      exchange.getResponseHeaders().set("Retry-After", "10");
      text(
          exchange,
          503,
          "Too many live pages open (at most "
              + EventHub.MAX_CLIENTS
              + " per pipeline instance); close one or try again later");
    }
  }

  private static void file(HttpExchange exchange, String resource) throws IOException {
    byte[] bytes;
    try (InputStream in = WebConsole.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        text(exchange, 500, "The page's " + resource + " is missing from the jar");
        return;
      }
      bytes = in.readAllBytes();
    }
    String type = TYPES.get(resource.substring(resource.lastIndexOf('.') + 1));
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange
        .getResponseHeaders()
        .set(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'");
    send(exchange, 200, type, bytes);
  }

  private static void text(HttpExchange exchange, int status, String message) throws IOException {
    send(
        exchange,
        status,
        "text/plain; charset=utf-8",
        (message + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] bytes)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (!head) {
        out.write(bytes);
      }
    }
  }

  /** Ends every open stream and stops the feed and the models view's refresh. */
  @Override
  public void close() {
    hub.close();
    feed.close();
    models.close();
  }
}
