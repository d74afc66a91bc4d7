package io.glimpse.ops.deploy;

import io.glimpse.ops.cli.GlimpseCli;
import io.glimpse.pipeline.config.PipelineConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ParseResult;

/**
 * The value sets the chart tests render, each a list of files under examples/ in the order {@code
 * helm -f} takes them (the README's install and upgrade commands), and what the tests read from a
 * rendering: the pipeline's configuration, a Job's command line, a merged value.
 */
final class ChartValueSets {
  /** Each value set: its name and its example files, in order. */
  static final Map<String, List<String>> ALL = all();

  private ChartValueSets() {}

  private static Map<String, List<String>> all() {
    Map<String, List<String>> sets = new LinkedHashMap<>();
    sets.put("default", List.of());
    sets.put("s3", List.of("values-s3.yaml"));
    sets.put("minio", List.of("values-s3.yaml", "values-minio.yaml"));
    sets.put("volume", List.of("values-volume.yaml"));
    sets.put("statefulset", List.of("values-s3.yaml", "values-statefulset.yaml"));
    sets.put("keda", List.of("values-s3.yaml", "values-keda.yaml"));
    sets.put("gpu", List.of("values-s3.yaml", "values-gpu.yaml"));
    sets.put("trainer-cronjob", List.of("values-s3.yaml", "values-trainer-cronjob.yaml"));
    sets.put("trainer-job", List.of("values-volume.yaml", "values-trainer-job.yaml"));
    sets.put("secrets", List.of("values-s3.yaml", "values-secrets.yaml", "values-keda.yaml"));
    sets.put("promote", List.of("values-s3.yaml", "values-promote.yaml"));
    sets.put("rollback", List.of("values-s3.yaml", "values-rollback.yaml"));
    return sets;
  }

  /** Renders a value set. */
  static Manifest render(String set) {
    return HelmChart.render(ALL.get(set).toArray(String[]::new));
  }

  /** The configuration the rendered pipeline container starts with. */
  static PipelineConfig pipelineConfig(Manifest manifest) {
    return PipelineConfig.load(
        null, PodEnvironment.of(Manifest.container(manifest.pipeline())), Map.of());
  }

  /** A container's args parsed by the {@code glimpse} command line, as the image's entrypoint. */
  static ParseResult parseCli(List<String> args) {
    return GlimpseCli.newCommandLine().parseArgs(args.toArray(String[]::new));
  }

  /** A value as Helm merges it: values.yaml, then the set's example files in order. */
  static Object mergedValue(String set, String... path) {
    List<Path> files = new ArrayList<>(List.of(HelmChart.dir().resolve("values.yaml")));
    ALL.get(set).forEach(f -> files.add(HelmChart.example(f)));
    Object value = null;
    for (Path file : files) {
      try {
        Object found = Manifest.at(DeployAssets.yaml(file), path);
        value = found != null ? found : value;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return value;
  }
}
