package io.glimpse.ops.cli.models;

import io.glimpse.lifecycle.ModelDeployer.DeploymentChange;
import io.glimpse.schemas.avro.ModelDeployment;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** What promote, pin, rollback and unpin print: the deployment before and after. */
final class ChangeReport {

  private ChangeReport() {}

  /**
   * Prints a change.
   *
   * @param spec the command
   * @param json whether {@code --json} was given
   * @param action what was asked: promote, pin, rollback, unpin
   * @param change the outcome
   */
  static void print(CommandSpec spec, boolean json, String action, DeploymentChange change) {
    Printer.print(spec, json, () -> document(action, change), () -> text(action, change));
  }

  private static Map<String, Object> document(String action, DeploymentChange change) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("action", action);
    document.put("model", change.after().getModelName());
    document.put("published", change.published());
    document.put("before", DeploymentView.json(change.before()));
    document.put("after", DeploymentView.json(change.after()));
    return document;
  }

  private static String was(ModelDeployment before, ModelDeployment after) {
    if (before == null) {
      return " (first deployment)";
    }
    if (before.getVersion().equals(after.getVersion())) {
      return " (the same version, " + (after.getPinned() ? "now pinned)" : "no longer pinned)");
    }
    return " (was v" + before.getVersion() + ")";
  }

  private static String text(String action, DeploymentChange change) {
    ModelDeployment after = change.after();
    String model = after.getModelName();
    String line;
    if (!change.published()) {
      line =
          model
              + " v"
              + after.getVersion()
              + (action.equals("unpin") ? " is not pinned" : " is deployed already")
              + (after.getPinned() ? " (pinned)" : "")
              + "; nothing published";
    } else {
      line = model + " now serves " + DeploymentView.summary(after) + was(change.before(), after);
    }
    String rollback =
        change
            .rollbackTarget()
            .map(e -> "rollback would return to v" + e.getVersion())
            .orElse("no earlier deployment to roll back to");
    return line
        + System.lineSeparator()
        + "history: "
        + DeploymentView.history(after)
        + "; "
        + rollback
        + System.lineSeparator();
  }
}
