/**
 * The model lifecycle's control plane: publishing versions, deploying them, and reading what is
 * registered, deployed and served. Every rule about versions, deployments, history, pins and the
 * promotion gate lives here once; the trainer, the pipeline and the CLI call into it.
 *
 * <ul>
 *   <li>{@link io.glimpse.lifecycle.Publication} puts a training run's artifact into a model store
 *       as a new immutable version; {@link io.glimpse.lifecycle.Registration} does the same for an
 *       artifact made anywhere, after loading it, idempotently.
 *   <li>{@link io.glimpse.lifecycle.VersionPublisher} announces versions on {@code model-versions}
 *       and, when asked and when the new version is at least as good as the serving one and the
 *       serving one is not pinned ({@link io.glimpse.lifecycle.PromotionDecision}), deploys it on
 *       {@code model-deployments}.
 *   <li>{@link io.glimpse.lifecycle.ModelDeployer} makes the operator's changes: promote, pin,
 *       rollback, unpin.
 *   <li>{@link io.glimpse.lifecycle.DeploymentRecords} is the one place that builds a deployment
 *       from the current one (history for rollback, pins); both of the above use it.
 *   <li>{@link io.glimpse.lifecycle.ModelCatalog} reads the versions, deployments and the
 *       pipelines' serving status from their compacted topics; {@link
 *       io.glimpse.lifecycle.KafkaConnection} says how to reach Kafka and the registry.
 *   <li>{@link io.glimpse.lifecycle.DeploymentFollower} follows {@code model-deployments} for a
 *       running pipeline: the latest deployment at start, then each new one.
 * </ul>
 *
 * <p>The store itself ({@code ModelStore}, {@code FileModelStore}) lives in {@code
 * io.glimpse.model.store} in the {@code model} module, so that the pipeline resolves and fetches
 * the versions published here with the same code.
 */
package io.glimpse.lifecycle;
