package io.glimpse.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart's README.md is generated from values.yaml (ChartReadme) and documents every value: it
 * fails when the file is stale, and rewrites it with {@code -Dglimpse.chart.readme.write=true}.
 */
class ChartReadmeTest {

  @Test
  void readmeIsWhatChartReadmeGeneratesFromValuesYaml() throws IOException {
    Path readme = HelmChart.dir().resolve("README.md");
    String expected = new ChartReadme(HelmChart.dir()).render();
    if (Boolean.getBoolean(ChartReadme.WRITE_PROPERTY)) {
      Files.writeString(readme, expected);
    }
    assertThat(readme).exists();
    assertThat(Files.readString(readme))
        .as("%s is out of date; regenerate it: %s", readme, ChartReadme.REGENERATE)
        .isEqualTo(expected);
  }

  @Test
  void everyValueIsDocumentedItselfOrByTheMapHoldingIt() throws IOException {
    Set<String> documented =
        new ChartReadme(HelmChart.dir())
            .documented().stream().map(ChartReadme.Documented::key).collect(Collectors.toSet());
    List<String> leaves = new ArrayList<>();
    collectLeaves("", DeployAssets.yaml(HelmChart.dir().resolve("values.yaml")), leaves);

    assertThat(leaves).hasSizeGreaterThan(50);
    assertThat(leaves)
        .as("values without a `# --` comment on themselves or a parent")
        .allMatch(leaf -> isDocumented(leaf, documented));
    assertThat(documented)
        .contains("keda.activationLagThreshold", "keda.scaleDown", "store.s3.uri");
  }

  private static boolean isDocumented(String leaf, Set<String> documented) {
    for (String key = leaf; !key.isEmpty(); key = parent(key)) {
      if (documented.contains(key)) {
        return true;
      }
    }
    return false;
  }

  private static String parent(String key) {
    int dot = key.lastIndexOf('.');
    return dot < 0 ? "" : key.substring(0, dot);
  }

  private static void collectLeaves(String prefix, Map<String, Object> node, List<String> leaves) {
    node.forEach(
        (key, value) -> {
          String path = prefix.isEmpty() ? key : prefix + "." + key;
          if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            collectLeaves(path, DeployAssets.map(value), leaves);
          } else {
            leaves.add(path);
          }
        });
  }
}
