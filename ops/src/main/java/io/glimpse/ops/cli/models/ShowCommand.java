package io.glimpse.ops.cli.models;

import io.glimpse.lifecycle.ModelCatalog;
import io.glimpse.lifecycle.PublishException;
import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.avro.ModelVersion;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code glimpse models show <name> <version>}: one version's record and whether it serves. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description =
        "Show one version: format, architecture, input shape, normalization, labels, metrics,"
            + " artifact URI, sha256, creation time, and whether it is deployed.")
final class ShowCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "<name>", description = "The model name.")
  private String name;

  @Parameters(index = "1", paramLabel = "<version>", description = "The version.")
  private String version;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  private boolean json;

  @Override
  public Integer call() throws IOException, PublishException {
    ModelCatalog catalog = new ModelCatalog(connection.kafka());
    ModelVersion v =
        catalog
            .version(name, version)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        name
                            + " v"
                            + version
                            + " is not registered on model-versions; see glimpse models list "
                            + name));
    ModelDeployment deployment = catalog.deployment(name).orElse(null);
    Printer.print(spec, json, () -> document(v, deployment), () -> text(v, deployment));
    return 0;
  }

  private static Map<String, Object> document(ModelVersion v, ModelDeployment deployment) {
    Map<String, Object> document = VersionView.json(v, deployment);
    document.put("deployment", DeploymentView.json(deployment));
    return document;
  }

  private static String text(ModelVersion v, ModelDeployment deployment) {
    TextTable table = new TextTable(v.getModelName(), "v" + v.getVersion());
    table.row(
        "format",
        v.getFormat().name().toLowerCase(Locale.ROOT)
            + " ("
            + v.getArchitecture()
            + ", width "
            + v.getWidthMultiplier()
            + ")");
    table.row(
        "input",
        VersionView.shape(v)
            + ", mean "
            + v.getNormalization().getMean()
            + ", std "
            + v.getNormalization().getStd());
    table.row("labels", VersionView.labels(v.getLabels()));
    table.row("metrics", VersionView.metrics(v));
    table.row("artifact", v.getArtifactUri());
    table.row("sha256", v.getSha256());
    table.row("created", Printer.time(v.getCreatedTime()));
    table.row("parent", v.getParentVersion() == null ? "-" : "v" + v.getParentVersion());
    table.row("deployed", deployedText(v, deployment));
    return table.render();
  }

  private static String deployedText(ModelVersion v, ModelDeployment deployment) {
    if (deployment == null) {
      return "no (nothing of " + v.getModelName() + " is deployed)";
    }
    if (VersionView.isDeployed(v, deployment)) {
      return "yes, " + DeploymentView.summary(deployment);
    }
    String state = VersionView.state(v, deployment);
    return "no"
        + (state.isEmpty() ? "" : ", the " + state)
        + " ("
        + v.getModelName()
        + " serves v"
        + deployment.getVersion()
        + ")";
  }
}
