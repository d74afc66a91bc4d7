package io.glimpse.ops.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The HTTP API of a Prometheus server, as Grafana uses it: instant and range queries, the loaded
 * rules and the active alerts.
 */
final class PrometheusApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final URI base;

  PrometheusApi(URI base) {
    this.base = base;
  }

  /** One series of a query's result: its labels and its values (one for an instant query). */
  record Series(Map<String, String> labels, List<Double> values) {
    /** True when some value is a number (not NaN, which PromQL gives for 0/0). */
    boolean hasNumber() {
      return values.stream().anyMatch(v -> !v.isNaN());
    }

    /** True when some value is above 0. */
    boolean hasPositive() {
      return values.stream().anyMatch(v -> v > 0);
    }
  }

  /** True when {@code /-/ready} answers 200. */
  boolean ready() throws IOException {
    return get("/-/ready").statusCode() == 200;
  }

  /**
   * {@code /api/v1/query} at the server's now.
   *
   * @throws IllegalStateException when Prometheus refuses the query (its message says why)
   */
  List<Series> query(String promql) throws IOException {
    return series(data("/api/v1/query?query=" + encode(promql)), "value");
  }

  /**
   * {@code /api/v1/query_range} from {@code start} to {@code end}, a point every {@code step}.
   *
   * @throws IllegalStateException when Prometheus refuses the query (its message says why)
   */
  List<Series> queryRange(String promql, Instant start, Instant end, Duration step)
      throws IOException {
    String path =
        "/api/v1/query_range?query="
            + encode(promql)
            + "&start="
            + seconds(start)
            + "&end="
            + seconds(end)
            + "&step="
            + step.toMillis() / 1000.0;
    return series(data(path), "values");
  }

  /** The sum of an instant query's values; 0 when it has no series. */
  double sum(String promql) throws IOException {
    return query(promql).stream()
        .flatMap(s -> s.values().stream())
        .mapToDouble(Double::doubleValue)
        .sum();
  }

  /** {@code /api/v1/rules}: the rule groups, each with its rules' health and last error. */
  JsonNode ruleGroups() throws IOException {
    return data("/api/v1/rules").path("groups");
  }

  /** {@code /api/v1/alerts}: the alerts now pending or firing, with their labels and state. */
  JsonNode alerts() throws IOException {
    return data("/api/v1/alerts").path("alerts");
  }

  /** {@code /api/v1/targets}: the active scrape targets, with their health and last error. */
  JsonNode activeTargets() throws IOException {
    return data("/api/v1/targets").path("activeTargets");
  }

  private JsonNode data(String path) throws IOException {
    HttpResponse<String> response = get(path);
    JsonNode body = JSON.readTree(response.body());
    if (!"success".equals(body.path("status").asText())) {
      throw new IllegalStateException(
          "Prometheus answered "
              + response.statusCode()
              + " to "
              + URLDecoder.decode(path, StandardCharsets.UTF_8)
              + ": "
              + body.path("errorType").asText()
              + ": "
              + body.path("error").asText());
    }
    return body.path("data");
  }

  private static List<Series> series(JsonNode data, String valuesField) {
    List<Series> result = new ArrayList<>();
    for (JsonNode series : data.path("result")) {
      Map<String, String> labels = new TreeMap<>();
      series
          .path("metric")
          .properties()
          .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      List<Double> values = new ArrayList<>();
      JsonNode points = series.path(valuesField);
      if ("value".equals(valuesField)) {
        values.add(number(points));
      } else {
        points.forEach(p -> values.add(number(p)));
      }
      result.add(new Series(labels, values));
    }
    return result;
  }

  /** A {@code [timestamp, "value"]} pair's value; Prometheus writes NaN and ±Inf as words. */
  private static double number(JsonNode point) {
    String text = point.path(1).asText();
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  private HttpResponse<String> get(String path) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build();
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while calling " + request.uri(), e);
    }
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static String seconds(Instant time) {
    return String.format(Locale.ROOT, "%.3f", time.toEpochMilli() / 1000.0);
  }
}
