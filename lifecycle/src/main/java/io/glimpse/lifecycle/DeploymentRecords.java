package io.glimpse.lifecycle;

import io.glimpse.schemas.avro.DeploymentHistoryEntry;
import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.avro.ModelVersion;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one place that knows how a model's next {@code ModelDeployment} follows from its current one:
 * the history it carries (what rollback returns to) and the pin. The trainer's automatic promotion
 * and the operator's {@code glimpse models} commands both build their records here. Pure: it reads
 * and publishes nothing.
 *
 * <p>The rules:
 *
 * <ul>
 *   <li>Deploying another version puts the current deployment in front of its history: {@code
 *       history = [current] + current.history}, newest first, at most {@link #MAX_HISTORY}.
 *   <li>Deploying the version that is deployed already changes nothing (empty result), so repeating
 *       a command is harmless and a rollback never returns to the same version.
 *   <li>{@link #rollback} deploys {@code history[0]} with {@code history = current.history} minus
 *       that entry.
 *   <li>A pinned deployment is replaced only by another {@link #pin}; {@link #promote} and {@link
 *       #rollback} are refused until it is {@linkplain #unpin unpinned}. Pinning or unpinning the
 *       deployed version republishes it with the same history.
 * </ul>
 *
 * <p>Every record carries the time it was written ({@code deployedTime}), who wrote it and why: the
 * reason starts with the action ({@code promote}, {@code pin}, {@code rollback from v3}, {@code
 * unpin}), followed by the caller's note.
 */
public final class DeploymentRecords {

  /** How many earlier deployments a record keeps: how far rollback can go back. */
  public static final int MAX_HISTORY = 20;

  private DeploymentRecords() {}

  /**
   * Deploys a version in place of the current deployment, unpinned.
   *
   * @param current the model's deployment now, or null when none
   * @param version the version to deploy, from {@code model-versions}
   * @param note why, in the caller's words (e.g. the promotion decision), or null
   * @param deployedBy who, or null
   * @param now the record's time
   * @return the new record, or empty when {@code version} is deployed already
   * @throws DeploymentRefusedException when the current deployment is pinned
   */
  public static Optional<ModelDeployment> promote(
      ModelDeployment current, ModelVersion version, String note, String deployedBy, Instant now)
      throws DeploymentRefusedException {
    requireSameModel(current, version);
    if (isDeployed(current, version)) {
      return Optional.empty();
    }
    requireUnpinned(current, "promote " + version.getModelName() + " v" + version.getVersion());
    return Optional.of(
        replace(current, version, reason("promote", note), deployedBy, now, false).build());
  }

  /**
   * Deploys a version and pins it, so that only another pin or an unpin replaces it. Pinning the
   * deployed version republishes it pinned, with its history; pinning another version replaces the
   * current deployment like {@link #promote}, pinned or not.
   *
   * @param current the model's deployment now, or null when none
   * @param version the version to pin, from {@code model-versions}
   * @param note why, or null
   * @param deployedBy who, or null
   * @param now the record's time
   * @return the new record, or empty when {@code version} is deployed and pinned already
   */
  public static Optional<ModelDeployment> pin(
      ModelDeployment current, ModelVersion version, String note, String deployedBy, Instant now) {
    requireSameModel(current, version);
    String reason = reason("pin", note);
    if (!isDeployed(current, version)) {
      return Optional.of(replace(current, version, reason, deployedBy, now, true).build());
    }
    if (current.getPinned()) {
      return Optional.empty();
    }
    return Optional.of(restamp(current, reason, deployedBy, now).setPinned(true).build());
  }

  /**
   * Unpins the current deployment: the same version, history and artifact, no longer pinned.
   *
   * @param current the model's deployment now
   * @param note why, or null
   * @param deployedBy who, or null
   * @param now the record's time
   * @return the new record, or empty when it is not pinned
   * @throws DeploymentRefusedException when nothing is deployed
   */
  public static Optional<ModelDeployment> unpin(
      ModelDeployment current, String note, String deployedBy, Instant now)
      throws DeploymentRefusedException {
    if (current == null) {
      throw new DeploymentRefusedException("nothing is deployed, so nothing is pinned");
    }
    if (!current.getPinned()) {
      return Optional.empty();
    }
    return Optional.of(
        restamp(current, reason("unpin", note), deployedBy, now).setPinned(false).build());
  }

  /**
   * Returns to the deployment before the current one: {@code history[0]}, with the rest of the
   * history, unpinned.
   *
   * @param current the model's deployment now
   * @param note why, or null
   * @param deployedBy who, or null
   * @param now the record's time
   * @return the new record
   * @throws DeploymentRefusedException when nothing is deployed, the deployment is pinned, or it
   *     has no history
   */
  public static ModelDeployment rollback(
      ModelDeployment current, String note, String deployedBy, Instant now)
      throws DeploymentRefusedException {
    if (current == null) {
      throw new DeploymentRefusedException("nothing is deployed, so there is nothing to roll back");
    }
    String model = current.getModelName();
    requireUnpinned(current, "roll " + model + " back");
    List<DeploymentHistoryEntry> history = current.getHistory();
    if (history.isEmpty()) {
      throw new DeploymentRefusedException(
          model
              + " v"
              + current.getVersion()
              + " has no earlier deployment to roll back to; promote a version instead (glimpse"
              + " models promote "
              + model
              + " <version>)");
    }
    DeploymentHistoryEntry previous = history.get(0);
    return ModelDeployment.newBuilder()
        .setModelName(model)
        .setVersion(previous.getVersion())
        .setArtifactUri(previous.getArtifactUri())
        .setSha256(previous.getSha256())
        .setReason(reason("rollback from v" + current.getVersion(), note))
        .setDeployedTime(now)
        .setDeployedBy(deployedBy)
        .setPinned(false)
        .setHistory(new ArrayList<>(history.subList(1, history.size())))
        .build();
  }

  /**
   * Returns a deployment as a history entry.
   *
   * @param deployment a deployment
   * @return its version, artifact, sha256, reason and time
   */
  public static DeploymentHistoryEntry entryOf(ModelDeployment deployment) {
    return DeploymentHistoryEntry.newBuilder()
        .setVersion(deployment.getVersion())
        .setArtifactUri(deployment.getArtifactUri())
        .setSha256(deployment.getSha256())
        .setReason(deployment.getReason())
        .setDeployedTime(deployment.getDeployedTime())
        .build();
  }

  /** Whether the deployment serves exactly this version's artifact. */
  private static boolean isDeployed(ModelDeployment current, ModelVersion version) {
    return current != null
        && current.getVersion().equals(version.getVersion())
        && current.getSha256().equalsIgnoreCase(version.getSha256());
  }

  private static void requireSameModel(ModelDeployment current, ModelVersion version) {
    if (current != null && !current.getModelName().equals(version.getModelName())) {
      throw new IllegalArgumentException(
          "a deployment of "
              + current.getModelName()
              + " cannot be followed by "
              + version.getModelName()
              + " v"
              + version.getVersion());
    }
  }

  static void requireUnpinned(ModelDeployment current, String action)
      throws DeploymentRefusedException {
    if (current != null && current.getPinned()) {
      throw new DeploymentRefusedException(
          "cannot "
              + action
              + ": "
              + pinDescription(current)
              + "; unpin it first (glimpse models unpin "
              + current.getModelName()
              + "), or pin another version (glimpse models pin "
              + current.getModelName()
              + " <version>)");
    }
  }

  /** E.g. {@code fashion v3 is pinned since 2026-11-29T10:00:00Z by alice: "pin: incident 42"}. */
  static String pinDescription(ModelDeployment pinned) {
    return pinned.getModelName()
        + " v"
        + pinned.getVersion()
        + " is pinned since "
        + pinned.getDeployedTime().truncatedTo(ChronoUnit.SECONDS)
        + (pinned.getDeployedBy() == null ? "" : " by " + pinned.getDeployedBy())
        + ": \""
        + pinned.getReason()
        + "\"";
  }

  private static ModelDeployment.Builder replace(
      ModelDeployment current,
      ModelVersion version,
      String reason,
      String deployedBy,
      Instant now,
      boolean pinned) {
    return ModelDeployment.newBuilder()
        .setModelName(version.getModelName())
        .setVersion(version.getVersion())
        .setArtifactUri(version.getArtifactUri())
        .setSha256(version.getSha256())
        .setReason(reason)
        .setDeployedTime(now)
        .setDeployedBy(deployedBy)
        .setPinned(pinned)
        .setHistory(historyAfter(current));
  }

  private static ModelDeployment.Builder restamp(
      ModelDeployment current, String reason, String deployedBy, Instant now) {
    return ModelDeployment.newBuilder(current)
        .setReason(reason)
        .setDeployedTime(now)
        .setDeployedBy(deployedBy)
        .setHistory(new ArrayList<>(current.getHistory()));
  }

  private static List<DeploymentHistoryEntry> historyAfter(ModelDeployment current) {
    List<DeploymentHistoryEntry> history = new ArrayList<>();
    if (current != null) {
      history.add(entryOf(current));
      history.addAll(current.getHistory());
    }
    return new ArrayList<>(history.subList(0, Math.min(history.size(), MAX_HISTORY)));
  }

  private static String reason(String action, String note) {
    return note == null || note.isBlank() ? action : action + ": " + note.strip();
  }
}
