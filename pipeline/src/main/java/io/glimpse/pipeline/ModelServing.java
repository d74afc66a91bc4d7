package io.glimpse.pipeline;

import io.glimpse.lifecycle.DeploymentFollower;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.store.ModelStore;
import io.glimpse.model.store.ModelStoreException;
import io.glimpse.model.store.ModelStores;
import io.glimpse.pipeline.config.PipelineConfig;
import io.glimpse.pipeline.metrics.PipelineMetrics;
import io.glimpse.pipeline.serving.ModelReloader;
import io.glimpse.pipeline.serving.ModelSlot;
import io.glimpse.pipeline.serving.ServingModel;
import io.glimpse.pipeline.serving.ServingStatus;
import io.glimpse.pipeline.serving.ServingStatusPublisher;
import io.glimpse.schemas.topic.Topics;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Where the pipeline's model comes from: either pinned to one artifact ({@code
 * glimpse.model.path}), loaded before anything starts, or following the deployments of a model name
 * ({@code glimpse.model.name}): a {@link DeploymentFollower} hands each deployment to a {@link
 * ModelReloader}, which swaps verified versions into the {@link ModelSlot}; the first version
 * served starts the stream threads. Every status change goes to {@code model-serving-status}.
 */
final class ModelServing implements AutoCloseable {
  private final ModelSlot slot;
  private final Supplier<ServingStatus> status;
  private final DeploymentFollower follower;
  private final ServingStatusPublisher publisher;
  private final AtomicReference<Runnable> onFirstModel;
  private final ModelReloader reloader;
  private final ModelStore store;

  private ModelServing(
      ModelSlot slot,
      Supplier<ServingStatus> status,
      DeploymentFollower follower,
      ServingStatusPublisher publisher,
      AtomicReference<Runnable> onFirstModel,
      ModelReloader reloader,
      ModelStore store) {
    this.slot = slot;
    this.status = status;
    this.follower = follower;
    this.publisher = publisher;
    this.onFirstModel = onFirstModel;
    this.reloader = reloader;
    this.store = store;
  }

  /**
   * Loads the pinned artifact now (fails if it cannot be served), or prepares to follow the
   * deployments of the model name; {@link #start(Runnable)} begins.
   *
   * @throws ModelArtifactException when a pinned artifact cannot be served
   * @throws ConfigException when neither a path nor a name (with a store) is configured, or the
   *     store cannot be opened
   */
  static ModelServing create(PipelineConfig config, PipelineMetrics metrics)
      throws ModelArtifactException {
    config.checkModelSource();
    String application =
        String.valueOf(
            GlimpsePipeline.streamsConfig(config).get(StreamsConfig.APPLICATION_ID_CONFIG));
    ServingStatusPublisher publisher =
        new ServingStatusPublisher(
            config.serdeConfig(), config.servingStatusTopic(), application, config.instanceId());
    if (config.modelPath().isPresent()) {
      try {
        return pinned(config, metrics, publisher);
      } catch (ModelArtifactException | RuntimeException e) {
        publisher.close();
        throw e;
      }
    }
    return following(config, metrics, publisher);
  }

  private static ModelServing pinned(
      PipelineConfig config, PipelineMetrics metrics, ServingStatusPublisher publisher)
      throws ModelArtifactException {
    String path = config.modelPath().orElseThrow().toString();
    ServingModel model =
        ServingModel.load(
            config.modelPath().orElseThrow(),
            config.modelSha256(),
            config.modelDevice(),
            config.modelPrecision());
    metrics.servingModel(model.name(), model.version());
    ServingStatus pinned =
        new ServingStatus(
            model.name(),
            path,
            null,
            model.version(),
            model.manifestSha256(),
            Instant.now(),
            model.device(),
            model.servedAs(),
            null,
            null);
    return new ModelServing(
        ModelSlot.serving(model),
        () -> pinned,
        null,
        publisher,
        new AtomicReference<>(),
        null,
        null);
  }

  private static ModelServing following(
      PipelineConfig config, PipelineMetrics metrics, ServingStatusPublisher publisher) {
    String name = config.modelName().orElseThrow();
    ModelSlot slot = new ModelSlot();
    AtomicReference<Runnable> onFirstModel = new AtomicReference<>();
    Consumer<ServingStatus> onChange =
        status -> {
          publisher.publish(status);
          Runnable first = status.serving() ? onFirstModel.getAndSet(null) : null;
          if (first != null) {
            first.run();
          }
        };
    ModelStore store;
    try {
      store = ModelStores.open(config.modelStore(), config.s3StoreSettings());
    } catch (ModelStoreException | ConfigException e) {
      publisher.close();
      throw e instanceof ConfigException c
          ? c
          : new ConfigException(PipelineConfig.MODEL_STORE, config.modelStore(), e.getMessage());
    }
    ModelReloader reloader =
        new ModelReloader(
            store,
            slot,
            config.modelDevice(),
            config.modelPrecision(),
            warmUpBatchSizes(config),
            metrics,
            name,
            onChange,
            config.faultPolicy().retryBackoff(),
            config.faultPolicy().maxRetryBackoff());
    DeploymentFollower follower =
        new DeploymentFollower(
            config.serdeConfig(),
            Topics.MODEL_DEPLOYMENTS.valueSerde(config.serdeConfig()).deserializer(),
            config.deploymentsTopic(),
            name,
            reloader::apply,
            reloader::nothingDeployed);
    return new ModelServing(
        slot, reloader::status, follower, publisher, onFirstModel, reloader, store);
  }

  /**
   * Batch sizes to warm a new version up at, beyond the loader's own single-image pass: a full
   * batch, the size the stream threads run most under load.
   */
  private static int[] warmUpBatchSizes(PipelineConfig config) {
    int max = config.batchPolicy().maxSize();
    return max == 1 ? new int[0] : new int[] {max};
  }

  /**
   * Begins serving: runs {@code onFirstModel} as soon as a model is served (at once when pinned,
   * else on the follower's thread after the first version is swapped in).
   */
  void start(Runnable onFirstModel) {
    if (follower == null) {
      publisher.publish(status.get());
      onFirstModel.run();
      return;
    }
    this.onFirstModel.set(onFirstModel);
    follower.start();
  }

  /** The slot batches take their model from. */
  ModelSlot slot() {
    return slot;
  }

  /** What this instance serves now. */
  ServingStatus status() {
    return status.get();
  }

  /** Stops following deployments and retrying them (an apply in progress finishes first). */
  void stopFollowing() {
    if (follower != null) {
      follower.close();
    }
    if (reloader != null) {
      reloader.close();
    }
  }

  /** Stops following and closes the served model; call after the stream threads stopped. */
  @Override
  public void close() {
    stopFollowing();
    slot.close();
    publisher.close();
    if (store != null) {
      store.close();
    }
  }
}
