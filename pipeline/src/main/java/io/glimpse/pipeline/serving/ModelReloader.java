package io.glimpse.pipeline.serving;

import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.model.files.FileTrees;
import io.glimpse.model.inference.InferenceException;
import io.glimpse.model.mobilenet.Precision;
import io.glimpse.model.store.ModelStore;
import io.glimpse.model.store.ModelStoreException;
import io.glimpse.model.store.StoredVersion;
import io.glimpse.pipeline.metrics.PipelineMetrics;
import io.glimpse.schemas.avro.ModelDeployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a deployment into the served version, make-before-break: resolves its URI in the model
 * store, copies the version into a private directory, verifies it there (the manifest's sha256
 * against the deployment's, every file's checksum, the network against the manifest), checks it
 * against the serving contract, warms it up at the batch sizes in use, and only then swaps it into
 * the {@link ModelSlot}. Anything that fails refuses the deployment: the served version keeps
 * serving, and the refusal is logged once, counted and reported.
 *
 * <p>Runs on the caller's thread (the {@link io.glimpse.lifecycle.DeploymentFollower}'s), never on
 * a stream thread.
 */
public final class ModelReloader {
  private static final Logger LOG = LoggerFactory.getLogger(ModelReloader.class);

  private final ModelStore store;
  private final ModelSlot slot;
  private final String device;
  private final Precision precision;
  private final int[] warmUpBatchSizes;
  private final PipelineMetrics metrics;
  private final ServingState state;
  private final Consumer<ServingStatus> onChange;

  /**
   * A reloader.
   *
   * @param store where deployments' artifact URIs must point
   * @param slot the slot it swaps versions into
   * @param device the device to load on ({@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N})
   * @param precision what versions compute in ({@code glimpse.model.precision})
   * @param warmUpBatchSizes batch sizes to run once before a version serves
   * @param metrics counts outcomes and follows the served version
   * @param modelName the model name the instance serves
   * @param onChange called with the new status after every deployment handled
   */
  public ModelReloader(
      ModelStore store,
      ModelSlot slot,
      String device,
      Precision precision,
      int[] warmUpBatchSizes,
      PipelineMetrics metrics,
      String modelName,
      Consumer<ServingStatus> onChange) {
    this.store = store;
    this.slot = slot;
    this.device = device;
    this.precision = precision;
    this.warmUpBatchSizes = warmUpBatchSizes.clone();
    this.metrics = metrics;
    this.state =
        new ServingState(
            modelName, null, "the deployments topic (no deployment of " + modelName + " read)");
    this.onChange = onChange;
  }

  /** The status as it is now. */
  public ServingStatus status() {
    return state.snapshot();
  }

  /** The deployments topic was read to its end and nothing was deployed for the name. */
  public void nothingDeployed() {
    ServingStatus now = state.snapshot();
    if (!now.serving() && now.lastRefusal() == null) {
      state.waitingFor(
          "a deployment of model "
              + now.modelName()
              + " (promote a version: bin/glimpse models promote)");
      onChange.accept(state.snapshot());
    }
  }

  /**
   * Serves the deployment, or refuses it and keeps the served version.
   *
   * @return whether the deployment is served now (also when it already was)
   */
  public boolean apply(ModelDeployment deployment) {
    String version = deployment.getVersion();
    state.desired(version);
    ServingStatus now = state.snapshot();
    if (version.equals(now.servedVersion()) && deployment.getSha256().equals(now.servedSha256())) {
      metrics.recordReload("unchanged");
      onChange.accept(state.snapshot());
      return true;
    }
    long started = System.nanoTime();
    try {
      ServingModel candidate = prepare(deployment);
      slot.swap(candidate);
      metrics.servingModel(candidate.name(), candidate.version());
      metrics.recordReload("loaded");
      state.served(
          version, deployment.getSha256(), Instant.now(), candidate.device(), candidate.servedAs());
      LOG.info(
          "Now serving model {} version {} ({}; loaded, verified and warmed up in {} ms;"
              + " previous version {})",
          deployment.getModelName(),
          version,
          deployment.getReason(),
          (System.nanoTime() - started) / 1_000_000,
          now.servedVersion() == null ? "none" : now.servedVersion());
      onChange.accept(state.snapshot());
      return true;
    } catch (ReloadRefusedException e) {
      metrics.recordReload("refused");
      state.refused(version, e.getMessage(), Instant.now());
      LOG.warn(
          "Refused deployment of model {} version {}: {}; still serving {}",
          deployment.getModelName(),
          version,
          e.getMessage(),
          now.servedVersion() == null ? "nothing" : "version " + now.servedVersion());
      onChange.accept(state.snapshot());
      return false;
    }
  }

  private ServingModel prepare(ModelDeployment deployment) throws ReloadRefusedException {
    StoredVersion stored;
    try {
      stored = store.resolve(deployment.getArtifactUri());
    } catch (ModelStoreException e) {
      throw new ReloadRefusedException(e.getMessage(), e);
    }
    ServingModel candidate = loadPrivateCopy(stored, deployment.getSha256());
    try {
      checkIdentity(candidate.manifest(), deployment);
      Optional<ServingModel> served = slot.peek();
      if (served.isPresent()) {
        Optional<String> violation =
            ServingContract.violation(served.get().manifest(), candidate.manifest());
        if (violation.isPresent()) {
          throw new ReloadRefusedException(
              "version "
                  + deployment.getVersion()
                  + " breaks the serving contract: "
                  + violation.get(),
              null);
        }
      }
      warmUp(candidate);
      return candidate;
    } catch (ReloadRefusedException | RuntimeException e) {
      candidate.close();
      throw e;
    }
  }

  private ServingModel loadPrivateCopy(StoredVersion stored, String sha256)
      throws ReloadRefusedException {
    Path workspace;
    try {
      workspace = Files.createTempDirectory("glimpse-reload-");
    } catch (IOException e) {
      throw new ReloadRefusedException(
          "cannot create a private directory to copy the version into: " + e.getMessage(), e);
    }
    try {
      Path copy = store.fetch(stored, workspace.resolve("artifact"));
      return ServingModel.load(copy, Optional.of(sha256), device, precision);
    } catch (ModelStoreException | ModelArtifactException e) {
      throw new ReloadRefusedException(e.getMessage(), e);
    } finally {
      FileTrees.deleteQuietly(workspace);
    }
  }

  private static void checkIdentity(ModelManifest manifest, ModelDeployment deployment)
      throws ReloadRefusedException {
    if (!manifest.getName().equals(deployment.getModelName())
        || !manifest.getVersion().equals(deployment.getVersion())) {
      throw new ReloadRefusedException(
          String.format(
              "the artifact at %s is %s version %s, but the deployment names %s version %s;"
                  + " promote the version that lives at that URI",
              deployment.getArtifactUri(),
              manifest.getName(),
              manifest.getVersion(),
              deployment.getModelName(),
              deployment.getVersion()),
          null);
    }
  }

  private void warmUp(ServingModel candidate) throws ReloadRefusedException {
    int size = candidate.preprocessor().tensorSize();
    for (int batch : warmUpBatchSizes) {
      try {
        candidate.classifier().classify(new float[batch * size], batch);
      } catch (InferenceException e) {
        throw new ReloadRefusedException(
            "the warm-up forward pass at batch size " + batch + " failed: " + e.getMessage(), e);
      }
    }
  }
}
