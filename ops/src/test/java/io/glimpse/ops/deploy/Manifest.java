package io.glimpse.ops.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.Yaml;

/**
 * The objects of a rendered chart, as SnakeYAML reads them, with the look-ups the chart tests need:
 * an object by kind and name, the pod spec of a workload, a container.
 *
 * @param text the rendered YAML
 * @param objects each document, as nested maps and lists
 */
record Manifest(String text, List<Map<String, Object>> objects) {

  /** Parses {@code helm template}'s output. */
  static Manifest parse(String text) {
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Object document : new Yaml().loadAll(text)) {
      if (document != null) {
        objects.add(DeployAssets.map(document));
      }
    }
    return new Manifest(text, objects);
  }

  /** The kinds and names of the objects, not the whole text. */
  @Override
  public String toString() {
    return objects.stream().map(o -> o.get("kind") + "/" + name(o)).toList().toString();
  }

  /** Every object of a kind. */
  List<Map<String, Object>> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
  }

  /** The one object of a kind and name. */
  Map<String, Object> one(String kind, String name) {
    return objects.stream()
        .filter(o -> kind.equals(o.get("kind")) && name.equals(name(o)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in\n" + text));
  }

  /** The pipeline's Deployment or StatefulSet. */
  Map<String, Object> pipeline() {
    List<Map<String, Object>> workloads =
        objects.stream()
            .filter(o -> List.of("Deployment", "StatefulSet").contains(o.get("kind")))
            .toList();
    if (workloads.size() != 1) {
      throw new AssertionError("expected one pipeline workload, found " + workloads.size());
    }
    return workloads.get(0);
  }

  /** Every object that runs pods: Deployments, StatefulSets, Jobs and CronJobs. */
  List<Map<String, Object>> workloads() {
    return objects.stream()
        .filter(o -> List.of("Deployment", "StatefulSet", "Job", "CronJob").contains(o.get("kind")))
        .toList();
  }

  /** An object's metadata.name. */
  static String name(Map<String, Object> object) {
    return String.valueOf(DeployAssets.map(object.get("metadata")).get("name"));
  }

  /** A value at a path of keys, or null. */
  static Object at(Object node, String... path) {
    Object current = node;
    for (String key : path) {
      if (current == null) {
        return null;
      }
      current = DeployAssets.map(current).get(key);
    }
    return current;
  }

  /** The pod template's spec of a workload (for a CronJob, of its Job template). */
  static Map<String, Object> podSpec(Map<String, Object> workload) {
    Object spec =
        "CronJob".equals(workload.get("kind"))
            ? at(workload, "spec", "jobTemplate", "spec", "template", "spec")
            : at(workload, "spec", "template", "spec");
    return DeployAssets.map(Objects.requireNonNull(spec, "no pod spec in " + name(workload)));
  }

  /** The pod's first container. */
  static Map<String, Object> container(Map<String, Object> workload) {
    return DeployAssets.map(DeployAssets.list(podSpec(workload).get("containers")).get(0));
  }

  /** A container's env entries. */
  static List<Map<String, Object>> env(Map<String, Object> container) {
    Object env = container.get("env");
    return env == null
        ? List.of()
        : DeployAssets.list(env).stream().map(DeployAssets::map).toList();
  }

  /** A container's args, as text. */
  static List<String> args(Map<String, Object> container) {
    return DeployAssets.list(container.get("args")).stream().map(String::valueOf).toList();
  }
}
