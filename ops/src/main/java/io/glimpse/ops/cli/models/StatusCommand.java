package io.glimpse.ops.cli.models;

import io.glimpse.lifecycle.ModelCatalog;
import io.glimpse.lifecycle.OnlineAccuracy;
import io.glimpse.lifecycle.PublishException;
import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.avro.ModelServingStatus;
import io.glimpse.schemas.avro.ReloadRefusal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code glimpse models status [<name>]}: what is deployed, and what every pipeline instance serves
 * (from {@code model-serving-status}), with the last deployment each one refused and why.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Show the current deployments (version, pin, reason, time) and, per pipeline application"
            + " and instance, the desired and served version, since when, and the last refused"
            + " deployment with its reason; then each version's online accuracy on the labels"
            + " that arrived for its predictions.")
final class StatusCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private ConnectionOptions connection;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "<name>",
      description = "Only this model (default: every model).")
  private String name;

  @Option(names = "--json", description = "Print one JSON object instead of tables.")
  private boolean json;

  @Override
  public Integer call() throws IOException, PublishException {
    ModelCatalog catalog = new ModelCatalog(connection.kafka());
    List<ModelDeployment> deployments =
        catalog.deployments().values().stream()
            .filter(d -> name == null || name.equals(d.getModelName()))
            .toList();
    List<ModelServingStatus> instances = catalog.servingStatus(name);
    List<OnlineAccuracy> accuracy = new ArrayList<>();
    for (ModelDeployment d : deployments) {
      accuracy.addAll(catalog.onlineAccuracy(d.getModelName()).values());
    }
    Printer.print(
        spec,
        json,
        () -> document(deployments, instances, accuracy),
        () -> text(deployments, instances) + accuracyText(accuracy));
    return 0;
  }

  private static Map<String, Object> document(
      List<ModelDeployment> deployments,
      List<ModelServingStatus> instances,
      List<OnlineAccuracy> accuracy) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("deployments", deployments.stream().map(DeploymentView::json).toList());
    document.put("instances", instances.stream().map(StatusCommand::instance).toList());
    document.put("onlineAccuracy", accuracy.stream().map(OnlineAccuracyView::json).toList());
    return document;
  }

  private static String accuracyText(List<OnlineAccuracy> accuracy) {
    String nl = System.lineSeparator();
    if (accuracy.isEmpty()) {
      return nl
          + "No label has met a prediction yet (publish true labels to the labels topic:"
          + " glimpse label)."
          + nl;
    }
    return nl
        + "Online accuracy (labels joined with each version's predictions, model-quality):"
        + nl
        + OnlineAccuracyView.table(accuracy);
  }

  private static Map<String, Object> instance(ModelServingStatus s) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("application", s.getApplication());
    json.put("instance", s.getInstance());
    json.put("model", s.getModelName());
    json.put("desiredVersion", s.getDesiredVersion());
    json.put("servedVersion", s.getServedVersion());
    json.put("servedSha256", s.getServedSha256());
    json.put("servedSince", Printer.jsonTime(s.getServedSince()));
    ReloadRefusal refusal = s.getLastRefusal();
    Map<String, Object> lastRefusal = null;
    if (refusal != null) {
      lastRefusal = new LinkedHashMap<>();
      lastRefusal.put("version", refusal.getVersion());
      lastRefusal.put("reason", refusal.getReason());
      lastRefusal.put("refusedTime", Printer.jsonTime(refusal.getRefusedTime()));
    }
    json.put("lastRefusal", lastRefusal);
    json.put("updatedTime", Printer.jsonTime(s.getUpdatedTime()));
    return json;
  }

  private String text(List<ModelDeployment> deployments, List<ModelServingStatus> instances) {
    String nl = System.lineSeparator();
    StringBuilder out = new StringBuilder();
    if (deployments.isEmpty()) {
      out.append(name == null ? "Nothing is deployed" : "Nothing of " + name + " is deployed")
          .append(" on model-deployments.")
          .append(nl);
    } else {
      TextTable table =
          new TextTable("MODEL", "DEPLOYED", "PINNED", "SINCE", "BY", "ROLLBACK TO", "REASON");
      for (ModelDeployment d : deployments) {
        table.row(
            d.getModelName(),
            "v" + d.getVersion(),
            d.getPinned() ? "yes" : "no",
            Printer.time(d.getDeployedTime()),
            d.getDeployedBy(),
            d.getHistory().isEmpty() ? "-" : "v" + d.getHistory().get(0).getVersion(),
            d.getReason());
      }
      out.append(table.render());
    }
    out.append(nl);
    if (instances.isEmpty()) {
      return out.append("No pipeline instance has reported on model-serving-status.")
          .append(nl)
          .toString();
    }
    TextTable table =
        new TextTable(
            "APPLICATION", "INSTANCE", "MODEL", "DESIRED", "SERVED", "SINCE", "LAST REFUSAL");
    for (ModelServingStatus s : instances) {
      table.row(
          s.getApplication(),
          s.getInstance(),
          s.getModelName(),
          version(s.getDesiredVersion()),
          version(s.getServedVersion()),
          Printer.time(s.getServedSince()),
          refusal(s.getLastRefusal()));
    }
    return out.append(table.render()).toString();
  }

  private static String version(String v) {
    return v == null ? "-" : "v" + v;
  }

  private static String refusal(ReloadRefusal r) {
    return r == null
        ? "-"
        : "v" + r.getVersion() + " at " + Printer.time(r.getRefusedTime()) + ": " + r.getReason();
  }
}
