package io.glimpse.ops.demo;

import io.glimpse.lifecycle.DeploymentRefusedException;
import io.glimpse.lifecycle.KafkaConnection;
import io.glimpse.lifecycle.ModelDeployer;
import io.glimpse.lifecycle.PublishException;
import io.glimpse.lifecycle.Registration;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.store.FileModelStore;
import io.glimpse.model.store.ModelStore;
import io.glimpse.model.store.ModelStoreException;
import io.glimpse.trainer.ProgressListener;
import io.glimpse.trainer.TrainingException;
import io.glimpse.trainer.TrainingResult;
import io.glimpse.trainer.data.DatasetException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's model lifecycle, done the way an operator does it: the quick version is registered in
 * the demo's model store and deployed at start; an improved version (the quick one fine-tuned
 * further: trained in the background on the first run, kept for later runs) is registered and
 * promoted midway, and the running pipeline swaps it in by hot reload. What happens is told to
 * {@code events}, one line each, for the command to print.
 */
public final class DemoLifecycle implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DemoLifecycle.class);

  private final Path dataDir;
  private final DemoData data;
  private final ModelStore store;
  private final Registration registration;
  private final ModelDeployer deployer;
  private final Consumer<String> events;
  private final CountDownLatch closing = new CountDownLatch(1);
  private Thread improver;

  /**
   * A lifecycle on the stack {@code kafka} reaches, with its store under {@code
   * <dataDir>/models/store}.
   */
  public DemoLifecycle(
      Path dataDir, DemoData data, KafkaConnection kafka, Consumer<String> events) {
    this.dataDir = dataDir;
    this.data = data;
    this.store = new FileModelStore(createDirectories(dataDir.resolve("models").resolve("store")));
    this.registration = new Registration(store, kafka);
    this.deployer = new ModelDeployer(kafka, store);
    this.events = events;
  }

  /** The store the pipeline must load from ({@code glimpse.model.store}). */
  public ModelStore store() {
    return store;
  }

  /** The model name the pipeline must serve ({@code glimpse.model.name}). */
  public String modelName() {
    return DemoModel.modelName(data);
  }

  /**
   * Registers the quick version and deploys it.
   *
   * @throws DemoLifecycleException when it cannot be registered or deployed
   */
  public void deployQuick() throws DemoLifecycleException {
    registerAndPromote(DemoModel.quickArtifact(dataDir, data), "demo start: the quick model");
  }

  /**
   * On a thread of its own: trains the improved version if no earlier run did (with {@code batches}
   * batches), else waits {@code after}; then registers and promotes it.
   */
  public synchronized void promoteImprovedLater(Duration after, int batches) {
    improver = new Thread(() -> improve(after, batches), "glimpse-demo-improver");
    improver.setDaemon(true);
    improver.start();
  }

  private void improve(Duration after, int batches) {
    try {
      Path artifact = DemoModel.improvedArtifact(dataDir, data);
      if (Files.isDirectory(artifact)) {
        events.accept(
            String.format(
                Locale.ROOT,
                "The improved version trained on an earlier run is promoted in %d s.",
                after.toSeconds()));
        if (closing.await(after.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
      } else {
        events.accept(
            "Training an improved version in the background ("
                + batches
                + " more batches on the quick one); it is promoted when it is ready.");
        TrainingResult result =
            DemoModel.trainImproved(dataDir, data, batches, ProgressListener.NONE);
        events.accept(
            String.format(
                Locale.ROOT,
                "Improved version trained in %d s, %s.",
                result.wallTime().toSeconds(),
                result
                    .testReport()
                    .map(
                        t -> String.format(Locale.ROOT, "%.1f%% test accuracy", 100 * t.accuracy()))
                    .orElse("no test set")));
      }
      registerAndPromote(artifact, "demo: the improved model");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TrainingException | DatasetException | DemoLifecycleException e) {
      if (closing.getCount() > 0) {
        events.accept("The improved version could not be promoted: " + e.getMessage());
        LOG.debug("Improving the demo model failed", e);
      }
    }
  }

  private void registerAndPromote(Path artifact, String reason) throws DemoLifecycleException {
    try {
      var registered = registration.register(artifact);
      String version = registered.version().getVersion();
      var change = deployer.promote(modelName(), version, reason, "glimpse demo");
      events.accept(
          String.format(
              Locale.ROOT,
              "Promoted %s %s (%s)%s.",
              modelName(),
              version,
              reason,
              change.published() ? "" : "; it was deployed already"));
    } catch (ModelArtifactException
        | ModelStoreException
        | PublishException
        | DeploymentRefusedException e) {
      throw new DemoLifecycleException(
          "Could not register and promote " + artifact + ": " + e.getMessage(), e);
    }
  }

  /** Stops the background work: a training run in progress ends at its next batch. */
  @Override
  public synchronized void close() {
    closing.countDown();
    if (improver != null) {
      improver.interrupt();
      try {
        improver.join(Duration.ofSeconds(30).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Path createDirectories(Path directory) {
    try {
      return Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the demo's model store " + directory, e);
    }
  }
}
