package io.glimpse.ops.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's environment as its process would see it, for feeding to {@code PipelineConfig} and
 * {@code ConnectionSettings}: plain values as they are, the pod's name (fieldRef) as {@link
 * #POD_NAME}, a secret's value as {@code secret:<name>/<key>}.
 */
final class PodEnvironment {
  /** The pod name a fieldRef to metadata.name stands for. */
  static final String POD_NAME = "glimpse-pipeline-0";

  private PodEnvironment() {}

  /** The environment of a container. */
  static Map<String, String> of(Map<String, Object> container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Map<String, Object> entry : Manifest.env(container)) {
      env.put(String.valueOf(entry.get("name")), valueOf(entry));
    }
    return env;
  }

  private static String valueOf(Map<String, Object> entry) {
    if (entry.containsKey("value")) {
      return String.valueOf(entry.get("value"));
    }
    Object field = Manifest.at(entry, "valueFrom", "fieldRef", "fieldPath");
    if ("metadata.name".equals(field)) {
      return POD_NAME;
    }
    Object secret = Manifest.at(entry, "valueFrom", "secretKeyRef");
    if (secret != null) {
      Map<String, Object> ref = DeployAssets.map(secret);
      return "secret:" + ref.get("name") + "/" + ref.get("key");
    }
    throw new AssertionError("unexpected env entry " + entry);
  }

  /** The env entries whose value comes from a Secret. */
  static List<String> fromSecrets(Map<String, Object> container) {
    return Manifest.env(container).stream()
        .filter(e -> Manifest.at(e, "valueFrom", "secretKeyRef") != null)
        .map(e -> String.valueOf(e.get("name")))
        .toList();
  }
}
