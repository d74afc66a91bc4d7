package io.glimpse.ops.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * deploy/helm/glimpse, linted and rendered offline by the Helm that helm-java embeds: what {@code
 * helm lint --strict} and {@code helm template glimpse deploy/helm/glimpse -f ... --set ...} do,
 * with no cluster and no network.
 */
final class HelmChart {
  /** The release name the README's commands use. */
  static final String RELEASE = "glimpse";

  /** A Kubernetes version inside the chart's kubeVersion range (helm-java defaults to 1.20). */
  static final String KUBE_VERSION = "1.31.0";

  private HelmChart() {}

  /** The chart's directory. */
  static Path dir() {
    return DeployAssets.repoRoot().resolve("deploy/helm/glimpse");
  }

  /** A file of examples/, the value sets the README's commands use. */
  static Path example(String fileName) {
    return dir().resolve("examples").resolve(fileName);
  }

  /** {@code helm lint --strict}. */
  static LintResult lint() {
    return new Helm(dir()).lint().strict().call();
  }

  /**
   * Renders the chart as release {@link #RELEASE}.
   *
   * @param valuesFiles {@code -f} files, in order
   * @param sets {@code --set} values
   * @throws IllegalStateException (helm-java's) with Helm's message when the values are refused
   *     (values.schema.json, a template's {@code fail})
   */
  static Manifest render(List<Path> valuesFiles, Map<String, ?> sets) {
    TemplateCommand template =
        new Helm(dir()).template().withName(RELEASE).withKubeVersion(KUBE_VERSION);
    for (Path file : valuesFiles) {
      template = template.withValuesFile(file);
    }
    for (Map.Entry<String, ?> set : sets.entrySet()) {
      template = template.set(set.getKey(), set.getValue());
    }
    return Manifest.parse(template.call());
  }

  /** Renders example files, in order. */
  static Manifest render(String... exampleFiles) {
    return render(List.of(exampleFiles).stream().map(HelmChart::example).toList(), Map.of());
  }
}
