package io.glimpse.ops.it;

import io.glimpse.ops.deploy.DeployAssets;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The compose stack's Prometheus configuration ({@code ops/docker/prometheus/prometheus.yml}),
 * rewritten for a test: the pipeline job scrapes static targets on 127.0.0.1 instead of Docker's
 * DNS, every second; its rule files are the compose ones, copied beside it with the same relative
 * paths.
 */
final class TestPrometheusConfig {
  static final String PIPELINE_JOB = "glimpse-pipeline";

  private TestPrometheusConfig() {}

  /** ops/docker/prometheus, the compose stack's Prometheus files. */
  static Path composeDir() {
    return DeployAssets.dockerDir().resolve("prometheus");
  }

  /** The volumes of docker-compose.yml's prometheus service, as written there. */
  @SuppressWarnings("unchecked")
  static List<String> composeVolumes() throws IOException {
    Map<String, Object> compose;
    try (Reader in =
        Files.newBufferedReader(DeployAssets.repoRoot().resolve("docker-compose.yml"))) {
      compose = new Yaml().load(in);
    }
    Map<String, Object> services = (Map<String, Object>) compose.get("services");
    Map<String, Object> prometheus = (Map<String, Object>) services.get("prometheus");
    return ((List<Object>) prometheus.get("volumes")).stream().map(String::valueOf).toList();
  }

  /** The compose stack's alerting rule files. */
  static List<Path> ruleFiles() throws IOException {
    try (Stream<Path> files = Files.walk(composeDir().resolve("rules"))) {
      return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> pipelineJob(Map<String, Object> config) {
    for (Object job : (List<Object>) config.get("scrape_configs")) {
      Map<String, Object> scrape = (Map<String, Object>) job;
      if (PIPELINE_JOB.equals(scrape.get("job_name"))) {
        return scrape;
      }
    }
    throw new IllegalStateException(
        "No scrape job " + PIPELINE_JOB + " in " + composeDir().resolve("prometheus.yml"));
  }

  /**
   * Writes {@code dir/prometheus.yml}, scraping {@code targets} ({@code host:port}) as the pipeline
   * job, and copies the compose rule files under {@code dir}.
   */
  static void write(Path dir, List<String> targets) throws IOException {
    Map<String, Object> config;
    try (Reader in = Files.newBufferedReader(composeDir().resolve("prometheus.yml"))) {
      config = new Yaml().load(in);
    }
    // Rates need two scrapes in their range: a second apart, a test waits seconds, not minutes.
    config.put(
        "global",
        Map.of("scrape_interval", "1s", "scrape_timeout", "1s", "evaluation_interval", "1s"));
    Map<String, Object> job = new LinkedHashMap<>(pipelineJob(config));
    job.remove("dns_sd_configs");
    job.put("static_configs", List.of(Map.of("targets", targets)));
    config.put("scrape_configs", List.of(job));
    Files.createDirectories(dir);
    for (Path rules : ruleFiles()) {
      Path copy = dir.resolve(composeDir().relativize(rules).toString());
      Files.createDirectories(copy.getParent());
      Files.copy(rules, copy);
    }
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    try (Writer out = Files.newBufferedWriter(dir.resolve("prometheus.yml"))) {
      new Yaml(options).dump(config, out);
    }
  }
}
