package io.glimpse.ops.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;
import org.awaitility.Awaitility;

/** The pipeline's HTTP endpoint as a scraper sees it: {@code /metrics} and {@code /health/*}. */
final class PipelineHttp {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PipelineHttp() {}

  /**
   * GETs {@code path} on 127.0.0.1:{@code port}.
   *
   * @throws IOException when the endpoint does not answer
   */
  static HttpResponse<String> get(int port, String path) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while calling " + request.uri(), e);
    }
  }

  /**
   * The value of an unlabelled Prometheus sample such as {@code glimpse_images_classified_total}.
   */
  static OptionalDouble sample(String metricsText, String name) {
    return metricsText
        .lines()
        .filter(line -> line.startsWith(name + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1).trim()))
        .findFirst();
  }

  /**
   * The sum of every sample of a metric, labelled or not, e.g. {@code glimpse_dlq_records_total}.
   */
  static double sumOf(String metricsText, String name) {
    return metricsText
        .lines()
        .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** {@code GET /health} of the pipeline on {@code port}, parsed. */
  static JsonNode health(int port) throws IOException {
    return JSON.readTree(get(port, "/health").body());
  }

  /** Waits until the pipeline on {@code port} serves {@code version} and is ready. */
  static void awaitServing(int port, String version, Duration timeout) {
    Awaitility.await("serving version " + version + " and ready")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () -> {
              JsonNode health = health(port);
              return version.equals(health.path("modelVersion").asText())
                  && health.path("ready").asBoolean();
            });
  }
}
