package io.glimpse.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.glimpse.ops.cli.GlimpseCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The commands the documentation gives for the chart work on the chart as it is: each {@code helm
 * install|upgrade} renders with its files and values, each object {@code kubectl} names and each
 * label selector it uses is one the chart renders, each {@code glimpse} command run in a pod
 * parses. Read from the chart's README.intro.md, the headers of examples/*.yaml, the repository
 * README's "Deploy on Kubernetes" section once it has one, and the file named by {@code
 * -Dglimpse.chart.commands.extra} (a draft).
 */
class ChartCommandsTest {
  private static final String README_SECTION = "### Deploy on Kubernetes";

  static Stream<Path> documents() throws IOException {
    List<Path> documents = new ArrayList<>();
    documents.add(HelmChart.dir().resolve("README.intro.md"));
    try (Stream<Path> examples = Files.list(HelmChart.dir().resolve("examples"))) {
      examples.sorted().forEach(documents::add);
    }
    Path readme = DeployAssets.repoRoot().resolve("README.md");
    if (Files.readString(readme).contains(README_SECTION)) {
      documents.add(readme);
    }
    String extra = System.getProperty("glimpse.chart.commands.extra");
    if (extra != null) {
      documents.add(Path.of(extra));
    }
    return documents.stream();
  }

  @ParameterizedTest
  @MethodSource("documents")
  void commandsWorkOnTheChartAsItIs(Path document) throws IOException {
    ChartCommands commands = ChartCommands.of(text(document));
    Path root = DeployAssets.repoRoot();

    assertThat(commands.unrecognized)
        .as("helm commands not of release %s, chart %s", HelmChart.RELEASE, ChartCommands.CHART)
        .isEmpty();
    if (document.startsWith(HelmChart.dir().resolve("examples"))) {
      assertThat(commands.helm).as("%s says how to use it", document.getFileName()).isNotEmpty();
      assertThat(commands.helm)
          .as("%s's commands use it", document.getFileName())
          .anyMatch(
              c ->
                  c.valuesFiles().stream()
                      .anyMatch(f -> Path.of(f).equals(root.relativize(document))));
    }
    List<Manifest> rendered = new ArrayList<>();
    for (ChartCommands.HelmCommand helm : commands.helm) {
      rendered.add(render(root, helm.valuesFiles(), helm.sets()));
    }
    for (ChartCommands.HelmCommand mention : commands.mentions) {
      List<String> files =
          new ArrayList<>(List.of(ChartCommands.CHART + "/examples/values-s3.yaml"));
      files.addAll(mention.valuesFiles());
      rendered.add(render(root, files, mention.sets()));
    }
    if (rendered.isEmpty()) {
      rendered.add(HelmChart.render("values-s3.yaml"));
    }
    for (ChartCommands.ObjectRef ref : commands.objects) {
      assertThat(rendered)
          .as("%s: %s/%s in `%s`", document.getFileName(), ref.kind(), ref.name(), ref.line())
          .anyMatch(m -> m.objects().stream().anyMatch(o -> is(o, ref.kind(), ref.name())));
    }
    for (Map<String, String> selector : commands.selectors) {
      assertThat(rendered)
          .as("%s: pods labelled %s", document.getFileName(), selector)
          .anyMatch(
              m ->
                  m.workloads().stream()
                      .anyMatch(w -> podLabels(w).entrySet().containsAll(selector.entrySet())));
    }
    for (List<String> args : commands.glimpse) {
      assertThatCode(() -> GlimpseCli.newCommandLine().parseArgs(args.toArray(String[]::new)))
          .as("%s: glimpse %s", document.getFileName(), args)
          .doesNotThrowAnyException();
    }
  }

  @Test
  void podsRunTheCliWhereTheCommandsCallIt() throws IOException {
    assertThat(Files.readString(DeployAssets.repoRoot().resolve("Dockerfile")))
        .contains("ENTRYPOINT [\"/opt/glimpse/bin/glimpse\"]");
    ChartCommands exec =
        ChartCommands.of(
            "kubectl exec deploy/glimpse-pipeline -- env GLIMPSE_JAVA_OPTS=-Xmx256m"
                + " /opt/glimpse/bin/glimpse models promote fashion 3 --reason 'beats v2'");
    assertThat(exec.glimpse)
        .containsExactly(List.of("models", "promote", "fashion", "3", "--reason", "beats v2"));
    assertThat(exec.objects)
        .extracting(ChartCommands.ObjectRef::kind)
        .containsExactly("Deployment");
  }

  private static Manifest render(Path root, List<String> files, Map<String, Object> sets) {
    files.forEach(f -> assertThat(root.resolve(f)).as("-f %s", f).isRegularFile());
    return HelmChart.render(files.stream().map(root::resolve).toList(), sets);
  }

  private static boolean is(Map<String, Object> object, String kind, String name) {
    String actual = Manifest.name(object);
    boolean perRevision = "Job".equals(kind) && actual.startsWith(name + "-");
    return kind.equals(object.get("kind")) && (actual.equals(name) || perRevision);
  }

  private static Map<String, Object> podLabels(Map<String, Object> workload) {
    Object labels =
        "CronJob".equals(workload.get("kind"))
            ? Manifest.at(workload, "spec", "jobTemplate", "spec", "template", "metadata", "labels")
            : Manifest.at(workload, "spec", "template", "metadata", "labels");
    return DeployAssets.map(labels);
  }

  /** The text to read: a README only from its Kubernetes section to the next heading as high. */
  private static String text(Path document) throws IOException {
    String text = Files.readString(document);
    if (!document.getFileName().toString().equals("README.md")) {
      return text;
    }
    int start = text.indexOf(README_SECTION);
    int end = text.indexOf("\n## ", start + 1);
    int nextSub = text.indexOf("\n### ", start + 1);
    end = end < 0 ? text.length() : end;
    return text.substring(start, nextSub > 0 && nextSub < end ? nextSub : end);
  }
}
