package io.glimpse.lifecycle;

import io.glimpse.model.store.ModelStore;
import io.glimpse.model.store.ModelStoreException;
import io.glimpse.model.store.StoredVersion;
import io.glimpse.schemas.avro.DeploymentHistoryEntry;
import io.glimpse.schemas.avro.ModelComparison;
import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.avro.ModelVersion;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The operator's deployment changes ({@code glimpse models promote | pin | rollback | unpin}):
 * reads the model's current deployment and the version's {@code model-versions} record, checks that
 * the version is registered for that model and that its artifact is in the store, builds the next
 * record with {@link DeploymentRecords} and publishes it. Nothing is published when a check fails,
 * or when the change is already in effect.
 *
 * <p>Read, decide, publish is not atomic: two operators changing the same model at the same moment
 * may both read the same deployment, and the later record wins with the history it saw.
 */
public final class ModelDeployer {

  private final ModelCatalog catalog;
  private final VersionPublisher publisher;
  private final ModelStore store;

  /**
   * Creates a deployer.
   *
   * @param kafka where the topics are
   * @param store the store the pipelines load from; a deployed artifact must resolve in it
   */
  public ModelDeployer(KafkaConnection kafka, ModelStore store) {
    this.catalog = new ModelCatalog(kafka);
    this.publisher = VersionPublisher.of(kafka);
    this.store = store;
  }

  /**
   * Deploys a registered version, unpinned; the current deployment goes into the history.
   *
   * @param model the model name
   * @param version a version registered on {@code model-versions} for that model
   * @param note why, or null
   * @param deployedBy who, or null
   * @return the deployment before and after
   * @throws DeploymentRefusedException for an unknown version, one of another model, an artifact
   *     missing from the store, or a pinned deployment
   * @throws PublishException when Kafka or the registry fails or times out
   */
  public DeploymentChange promote(String model, String version, String note, String deployedBy)
      throws DeploymentRefusedException, PublishException {
    ModelVersion target = registered(model, version);
    ModelDeployment current = catalog.deployment(model).orElse(null);
    return publish(
        current, DeploymentRecords.promote(current, target, note, deployedBy, Instant.now()));
  }

  /**
   * Deploys a registered version only when the gate lets it through on the latest comparison of it
   * with the serving version ({@code model-comparisons}); otherwise publishes nothing and says why.
   *
   * @param model the model name
   * @param version a version registered on {@code model-versions} for that model
   * @param gate the rule the comparison must meet
   * @param note why, or null; the gate's reason is added to it
   * @param deployedBy who, or null
   * @return the deployment before and after
   * @throws DeploymentRefusedException when the serving version is pinned, the gate refuses (no
   *     comparison, too few images, worse than the serving version), nothing is deployed to compare
   *     with, or as {@link #promote}
   * @throws PublishException when Kafka or the registry fails or times out
   */
  public DeploymentChange promoteIfBetter(
      String model, String version, PromotionGate gate, String note, String deployedBy)
      throws DeploymentRefusedException, PublishException {
    ModelVersion target = registered(model, version);
    ModelDeployment current = catalog.deployment(model).orElse(null);
    if (current == null) {
      throw new DeploymentRefusedException(
          "nothing of "
              + model
              + " is deployed, so there is nothing to compare v"
              + version
              + " with; promote a first version without --if-better");
    }
    if (current.getVersion().equals(version)) {
      return new DeploymentChange(current, current, false);
    }
    // A pin is the operator's decision, whatever the comparison says: say so first.
    DeploymentRecords.requireUnpinned(current, "promote " + model + " v" + version);
    ModelComparison comparison =
        catalog.comparison(model, version, current.getVersion()).orElse(null);
    PromotionGate.Verdict verdict = gate.judge(model, version, current.getVersion(), comparison);
    if (!verdict.passed()) {
      throw new DeploymentRefusedException(
          "kept "
              + model
              + " v"
              + current.getVersion()
              + ", v"
              + version
              + " did not pass the"
              + " gate: "
              + verdict.reason());
    }
    String why = note == null ? verdict.reason() : note + " (" + verdict.reason() + ")";
    return publish(
        current, DeploymentRecords.promote(current, target, why, deployedBy, Instant.now()));
  }

  /**
   * Deploys a registered version and pins it (or pins the deployed one).
   *
   * @param model the model name
   * @param version a version registered on {@code model-versions} for that model
   * @param note why, or null
   * @param deployedBy who, or null
   * @return the deployment before and after
   * @throws DeploymentRefusedException for an unknown version, one of another model, or an artifact
   *     missing from the store
   * @throws PublishException when Kafka or the registry fails or times out
   */
  public DeploymentChange pin(String model, String version, String note, String deployedBy)
      throws DeploymentRefusedException, PublishException {
    ModelVersion target = registered(model, version);
    ModelDeployment current = catalog.deployment(model).orElse(null);
    return publish(
        current, DeploymentRecords.pin(current, target, note, deployedBy, Instant.now()));
  }

  /**
   * Returns to the deployment before the current one.
   *
   * @param model the model name
   * @param note why, or null
   * @param deployedBy who, or null
   * @return the deployment before and after
   * @throws DeploymentRefusedException when nothing is deployed, it is pinned, it has no history,
   *     or the earlier artifact is no longer in the store
   * @throws PublishException when Kafka or the registry fails or times out
   */
  public DeploymentChange rollback(String model, String note, String deployedBy)
      throws DeploymentRefusedException, PublishException {
    ModelDeployment current = deployed(model);
    ModelDeployment previous = DeploymentRecords.rollback(current, note, deployedBy, Instant.now());
    requireInStore(model, previous.getVersion(), previous.getArtifactUri());
    return publish(current, Optional.of(previous));
  }

  /**
   * Lifts the pin of the current deployment.
   *
   * @param model the model name
   * @param note why, or null
   * @param deployedBy who, or null
   * @return the deployment before and after
   * @throws DeploymentRefusedException when nothing is deployed
   * @throws PublishException when Kafka or the registry fails or times out
   */
  public DeploymentChange unpin(String model, String note, String deployedBy)
      throws DeploymentRefusedException, PublishException {
    ModelDeployment current = deployed(model);
    return publish(current, DeploymentRecords.unpin(current, note, deployedBy, Instant.now()));
  }

  private DeploymentChange publish(ModelDeployment before, Optional<ModelDeployment> after)
      throws PublishException {
    if (after.isEmpty()) {
      return new DeploymentChange(before, before, false);
    }
    publisher.deploy(after.get());
    return new DeploymentChange(before, after.get(), true);
  }

  private ModelDeployment deployed(String model)
      throws DeploymentRefusedException, PublishException {
    Optional<ModelDeployment> current = catalog.deployment(model);
    if (current.isEmpty()) {
      throw new DeploymentRefusedException(
          "nothing of " + model + " is deployed; promote a version first");
    }
    return current.get();
  }

  /** The version's record, when it is registered for this model and its artifact is stored. */
  private ModelVersion registered(String model, String version)
      throws DeploymentRefusedException, PublishException {
    Optional<ModelVersion> found = catalog.version(model, version);
    if (found.isEmpty()) {
      throw new DeploymentRefusedException(unknownVersion(model, version));
    }
    ModelVersion record = found.get();
    if (!record.getModelName().equals(model) || !record.getVersion().equals(version)) {
      throw new DeploymentRefusedException(
          "the model-versions record under "
              + model
              + "/"
              + version
              + " describes "
              + record.getModelName()
              + " v"
              + record.getVersion()
              + "; re-register the version (glimpse models register)");
    }
    requireInStore(model, version, record.getArtifactUri());
    return record;
  }

  private String unknownVersion(String model, String version) throws PublishException {
    List<ModelVersion> all = catalog.versions(null);
    String mine = versionsOf(all, model);
    String owners =
        all.stream()
            .filter(v -> v.getVersion().equals(version) && !v.getModelName().equals(model))
            .map(ModelVersion::getModelName)
            .collect(Collectors.joining(", "));
    return model
        + " v"
        + version
        + " is not registered on model-versions"
        + (mine.isEmpty()
            ? " (" + model + " has no versions)"
            : " (" + model + " has " + mine + ")")
        + (owners.isEmpty() ? "" : "; v" + version + " is a version of " + owners)
        + "; register it first (glimpse models register) or name a registered version";
  }

  private static String versionsOf(List<ModelVersion> all, String model) {
    return all.stream()
        .filter(v -> v.getModelName().equals(model))
        .map(v -> "v" + v.getVersion())
        .collect(Collectors.joining(", "));
  }

  private void requireInStore(String model, String version, String artifactUri)
      throws DeploymentRefusedException {
    StoredVersion stored;
    try {
      stored = store.resolve(artifactUri);
    } catch (ModelStoreException e) {
      throw new DeploymentRefusedException(
          model
              + " v"
              + version
              + " cannot be deployed: "
              + e.getMessage()
              + " (store "
              + store.uri()
              + "; pass the store the pipelines load from)",
          e);
    }
    if (!stored.modelName().equals(model) || !stored.version().equals(version)) {
      throw new DeploymentRefusedException(
          artifactUri
              + " holds "
              + stored.modelName()
              + " v"
              + stored.version()
              + " in the store, not "
              + model
              + " v"
              + version
              + "; re-register the version");
    }
  }

  /**
   * A deployment change.
   *
   * @param before the deployment before, or null when there was none
   * @param after the deployment now (the same as {@code before} when nothing changed)
   * @param published whether a new record was published; false when the change was in effect
   */
  public record DeploymentChange(ModelDeployment before, ModelDeployment after, boolean published) {

    /**
     * Returns the version rollback would return to now, if any.
     *
     * @return the first history entry of {@code after}
     */
    public Optional<DeploymentHistoryEntry> rollbackTarget() {
      return after == null || after.getHistory().isEmpty()
          ? Optional.empty()
          : Optional.of(after.getHistory().get(0));
    }
  }
}
