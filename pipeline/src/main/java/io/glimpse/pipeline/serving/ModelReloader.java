package io.glimpse.pipeline.serving;

import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.model.files.FileTrees;
import io.glimpse.model.inference.InferenceException;
import io.glimpse.model.mobilenet.Precision;
import io.glimpse.model.store.ModelStore;
import io.glimpse.model.store.ModelStoreException;
import io.glimpse.model.store.StoreUnavailableException;
import io.glimpse.model.store.StoredVersion;
import io.glimpse.pipeline.metrics.PipelineMetrics;
import io.glimpse.schemas.avro.ModelDeployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * serving, and the refusal is logged once, counted and reported. A store that cannot be reached (an
 * S3 outage) is no refusal: the served version keeps serving, the reason is reported as the last
 * refusal, and the deployment is tried again with the outage backoff until the store answers or a
 * newer deployment replaces it.
 *
 * <p>Runs on the caller's thread (the {@link io.glimpse.lifecycle.DeploymentFollower}'s), never on
 * a stream thread.
 */
public final class ModelReloader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelReloader.class);

  private final ModelStore store;
  private final ModelSlot slot;
  private final String device;
  private final Precision precision;
  private final int[] warmUpBatchSizes;
  private final PipelineMetrics metrics;
  private final ServingState state;
  private final Consumer<ServingStatus> onChange;
  private final ReloadRetry retry;
  private final Object lock = new Object();
  private ModelDeployment latest;

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
    this(
        store,
        slot,
        device,
        precision,
        warmUpBatchSizes,
        metrics,
        modelName,
        onChange,
        Duration.ofMillis(500),
        Duration.ofSeconds(30));
  }

  /**
   * A reloader that retries a deployment the store could not deliver (an outage) after {@code
   * retryBackoff}, doubling up to {@code maxRetryBackoff}.
   *
   * @param store where deployments' artifact URIs must point
   * @param slot the slot it swaps versions into
   * @param device the device to load on ({@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N})
   * @param precision what versions compute in ({@code glimpse.model.precision})
   * @param warmUpBatchSizes batch sizes to run once before a version serves
   * @param metrics counts outcomes and follows the served version
   * @param modelName the model name the instance serves
   * @param onChange called with the new status after every deployment handled
   * @param retryBackoff the first wait before a deferred deployment is tried again
   * @param maxRetryBackoff the longest wait between tries
   */
  public ModelReloader(
      ModelStore store,
      ModelSlot slot,
      String device,
      Precision precision,
      int[] warmUpBatchSizes,
      PipelineMetrics metrics,
      String modelName,
      Consumer<ServingStatus> onChange,
      Duration retryBackoff,
      Duration maxRetryBackoff) {
    this.retry = new ReloadRetry(retryBackoff, maxRetryBackoff);
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
   * Serves the deployment, or refuses it and keeps the served version; or, when the store cannot be
   * reached, keeps the served version and tries again later (replacing any earlier retry).
   *
   * @return whether the deployment is served now (also when it already was)
   */
  public boolean apply(ModelDeployment deployment) {
    synchronized (lock) {
      latest = deployment;
      retry.reset();
      return attempt(deployment);
    }
  }

  /** Tries a deferred deployment again, unless a newer one came meanwhile. */
  private void retryLatest(ModelDeployment deployment) {
    synchronized (lock) {
      if (deployment == latest) {
        attempt(deployment);
      }
    }
  }

  /** Stops retrying, and waits for a reload in progress to finish. */
  @Override
  public void close() {
    retry.close();
    synchronized (lock) {
      latest = null;
    }
  }

  private boolean attempt(ModelDeployment deployment) {
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
    } catch (ReloadDeferredException e) {
      metrics.recordReload("deferred");
      Duration wait = retry.schedule(() -> retryLatest(deployment));
      String served = now.servedVersion() == null ? "nothing" : "version " + now.servedVersion();
      state.deferred(
          version,
          e.getMessage()
              + " (still serving "
              + served
              + "; next try in "
              + wait.toMillis()
              + " ms)",
          Instant.now());
      LOG.warn(
          "Cannot load model {} version {} yet: {}; still serving {}, trying again in {} ms",
          deployment.getModelName(),
          version,
          e.getMessage(),
          served,
          wait.toMillis());
      onChange.accept(state.snapshot());
      return false;
    }
  }

  private ServingModel prepare(ModelDeployment deployment)
      throws ReloadRefusedException, ReloadDeferredException {
    StoredVersion stored;
    try {
      stored = store.resolve(deployment.getArtifactUri());
    } catch (StoreUnavailableException e) {
      throw new ReloadDeferredException(e.getMessage(), e);
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
      throws ReloadRefusedException, ReloadDeferredException {
    Path workspace;
    try {
      workspace = Files.createTempDirectory("glimpse-reload-");
    } catch (IOException e) {
      throw new ReloadRefusedException(
          "cannot create a private directory to copy the version into: " + e.getMessage(), e);
    }
    try {
      Path copy = store.fetch(stored, workspace.resolve("artifact"));
      Optional<ServingModel> served = slot.peek();
      return served.isPresent()
          ? ServingModel.loadReplacing(copy, Optional.of(sha256), device, precision, served.get())
          : ServingModel.load(copy, Optional.of(sha256), device, precision);
    } catch (StoreUnavailableException e) {
      throw new ReloadDeferredException(e.getMessage(), e);
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
