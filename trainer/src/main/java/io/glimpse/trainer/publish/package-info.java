/**
 * Publishing and deploying model versions.
 *
 * <ul>
 *   <li>{@link io.glimpse.trainer.publish.Publication} puts a training run's artifact into a model
 *       store as a new immutable version; {@link io.glimpse.trainer.publish.Registration} does the
 *       same for an artifact made anywhere, after loading it, idempotently.
 *   <li>{@link io.glimpse.trainer.publish.VersionPublisher} announces versions on {@code
 *       model-versions} and, when asked and when the new version is at least as good as the serving
 *       one and the serving one is not pinned ({@link
 *       io.glimpse.trainer.publish.PromotionDecision}), deploys it on {@code model-deployments}.
 *   <li>{@link io.glimpse.trainer.publish.ModelDeployer} makes the operator's changes: promote,
 *       pin, rollback, unpin.
 *   <li>{@link io.glimpse.trainer.publish.DeploymentRecords} is the one place that builds a
 *       deployment from the current one (history for rollback, pins); both of the above use it.
 *   <li>{@link io.glimpse.trainer.publish.ModelCatalog} reads the versions, deployments and the
 *       pipelines' serving status from their compacted topics; {@link
 *       io.glimpse.trainer.publish.KafkaConnection} says how to reach Kafka and the registry.
 * </ul>
 *
 * <p>The store itself ({@code ModelStore}, {@code FileModelStore}) lives in {@code
 * io.glimpse.model.store} in the {@code model} module, so that the pipeline resolves and fetches
 * the versions the trainer publishes with the same code, without depending on the trainer.
 */
package io.glimpse.trainer.publish;
