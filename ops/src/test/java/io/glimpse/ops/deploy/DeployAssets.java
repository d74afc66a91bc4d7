package io.glimpse.ops.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glimpse.pipeline.config.PipelineConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment assets as the tests read them: docker-compose.yml at the repository root, the
 * Prometheus and Grafana files under ops/docker, and the metric names the dashboard queries.
 */
public final class DeployAssets {
  private static final Pattern DEFAULTED = Pattern.compile("\\$\\{(\\w+):-([^}]*)}");

  private DeployAssets() {}

  /** The repository root (tests run in the ops module's directory). */
  public static Path repoRoot() {
    Path root = Path.of("").toAbsolutePath().getParent();
    if (!Files.isRegularFile(root.resolve("docker-compose.yml"))) {
      throw new IllegalStateException("No docker-compose.yml in " + root);
    }
    return root;
  }

  /** ops/docker, where Prometheus', Grafana's and the topic initializer's files live. */
  public static Path dockerDir() {
    return repoRoot().resolve("ops/docker");
  }

  /** A YAML file as nested maps and lists, with merge keys ({@code <<}) resolved. */
  static Map<String, Object> yaml(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file)) {
      return new Yaml().load(in);
    }
  }

  /** docker-compose.yml's {@code services}. */
  static Map<String, Object> services() throws IOException {
    return map(yaml(repoRoot().resolve("docker-compose.yml")).get("services"));
  }

  /** A service's environment, with {@code ${VAR:-default}} replaced by its default. */
  static Map<String, String> environment(String service) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    map(map(services().get(service)).get("environment"))
        .forEach((k, v) -> env.put(k, withDefaults(String.valueOf(v))));
    return env;
  }

  static String withDefaults(String text) {
    Matcher m = DEFAULTED.matcher(text);
    return m.replaceAll(r -> Matcher.quoteReplacement(r.group(2)));
  }

  /** The Grafana dashboard. */
  public static JsonNode dashboard() throws IOException {
    return new ObjectMapper()
        .readTree(dockerDir().resolve("grafana/dashboards/glimpse.json").toFile());
  }

  /** Every PromQL expression of the dashboard's panels. */
  public static List<String> dashboardQueries() throws IOException {
    List<String> queries = new ArrayList<>();
    for (JsonNode panel : dashboard().path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        queries.add(target.path("expr").asText());
      }
    }
    return queries;
  }

  /** Every metric name the dashboard's queries read. */
  public static Set<String> dashboardMetricNames() throws IOException {
    Set<String> names = new TreeSet<>();
    dashboardQueries().forEach(q -> names.addAll(PromQlNames.of(q)));
    return names;
  }

  /**
   * The flags with which {@code glimpse train} stores into the store a pipeline serves from and
   * promotes the model it follows, on the same Kafka and registry.
   */
  static List<String> trainerFlagsFor(PipelineConfig pipeline) {
    return List.of(
        "--store=" + pipeline.modelStore(),
        "--name=" + pipeline.modelName().orElseThrow(),
        "--promote",
        "--bootstrap-servers=" + pipeline.streamsProperties().get("bootstrap.servers"),
        "--schema-registry-url=" + pipeline.streamsProperties().get("schema.registry.url"));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    return (List<Object>) value;
  }
}
