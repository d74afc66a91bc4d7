package io.glimpse.ops.cli.models;

import io.glimpse.lifecycle.ModelCatalog;
import io.glimpse.lifecycle.PublishException;
import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.avro.ModelVersion;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code glimpse models list [<name>]}: the registered versions and which one is deployed. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description =
        "List registered versions (model-versions), marking the deployed one, whether it is"
            + " pinned, and the version rollback would return to.")
final class ListCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private ConnectionOptions connection;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "<name>",
      description = "Only this model's versions (default: every model's).")
  private String name;

  @Option(names = "--json", description = "Print one JSON array instead of a table.")
  private boolean json;

  @Override
  public Integer call() throws IOException, PublishException {
    ModelCatalog catalog = new ModelCatalog(connection.kafka());
    List<ModelVersion> versions = catalog.versions(name);
    Map<String, ModelDeployment> deployments = catalog.deployments();
    Printer.print(
        spec,
        json,
        () -> versions.stream().map(v -> VersionView.json(v, deployed(deployments, v))).toList(),
        () -> table(versions, deployments));
    return 0;
  }

  private String table(List<ModelVersion> versions, Map<String, ModelDeployment> deployments) {
    if (versions.isEmpty()) {
      return (name == null ? "No versions" : "No versions of " + name)
          + " on model-versions; register one with: glimpse models register"
          + System.lineSeparator();
    }
    TextTable table =
        new TextTable(
            "MODEL", "VERSION", "FORMAT", "INPUT", "LABELS", "VAL ACC", "CREATED", "STATE");
    for (ModelVersion v : versions) {
      table.row(
          v.getModelName(),
          v.getVersion(),
          v.getFormat().name().toLowerCase(java.util.Locale.ROOT),
          VersionView.shape(v),
          v.getLabels().size(),
          VersionView.validationAccuracy(v),
          Printer.time(v.getCreatedTime()),
          VersionView.state(v, deployed(deployments, v)));
    }
    return table.render();
  }

  private static ModelDeployment deployed(
      Map<String, ModelDeployment> deployments, ModelVersion v) {
    return deployments.get(v.getModelName());
  }
}
