package io.glimpse.ops.cli.models;

import io.glimpse.schemas.avro.DeploymentHistoryEntry;
import io.glimpse.schemas.avro.ModelDeployment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@code model-deployments} record as people and scripts read it. */
final class DeploymentView {

  private DeploymentView() {}

  /** The record as JSON, history included (newest first); null for none. */
  static Map<String, Object> json(ModelDeployment d) {
    if (d == null) {
      return null;
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("model", d.getModelName());
    json.put("version", d.getVersion());
    json.put("pinned", d.getPinned());
    json.put("reason", d.getReason());
    json.put("deployedTime", Printer.jsonTime(d.getDeployedTime()));
    json.put("deployedBy", d.getDeployedBy());
    json.put("artifactUri", d.getArtifactUri());
    json.put("sha256", d.getSha256());
    json.put("history", d.getHistory().stream().map(DeploymentView::entry).toList());
    return json;
  }

  /** E.g. {@code v3, pinned, at 2026-11-29T10:00:00Z by alice: pin: incident 42}. */
  static String summary(ModelDeployment d) {
    return "v"
        + d.getVersion()
        + (d.getPinned() ? ", pinned" : "")
        + ", at "
        + Printer.time(d.getDeployedTime())
        + (d.getDeployedBy() == null ? "" : " by " + d.getDeployedBy())
        + ": "
        + d.getReason();
  }

  /** The versions rollback would return to, in order, e.g. {@code v2, v1}; "-" for none. */
  static String history(ModelDeployment d) {
    List<DeploymentHistoryEntry> history = d.getHistory();
    return history.isEmpty()
        ? "-"
        : String.join(", ", history.stream().map(e -> "v" + e.getVersion()).toList());
  }

  private static Map<String, Object> entry(DeploymentHistoryEntry e) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("version", e.getVersion());
    json.put("reason", e.getReason());
    json.put("deployedTime", Printer.jsonTime(e.getDeployedTime()));
    json.put("artifactUri", e.getArtifactUri());
    json.put("sha256", e.getSha256());
    return json;
  }
}
