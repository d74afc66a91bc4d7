/**
 * Publishing model versions: {@link io.glimpse.trainer.publish.Publication} puts a run's artifact
 * into a model store as a new immutable version, and a {@link
 * io.glimpse.trainer.publish.VersionPublisher} announces it on {@code model-versions} and, when
 * asked and when it is at least as good as the serving one ({@link
 * io.glimpse.trainer.publish.PromotionDecision}), deploys it on {@code model-deployments}.
 *
 * <p>The store itself ({@code ModelStore}, {@code FileModelStore}) lives in {@code
 * io.glimpse.model.store} in the {@code model} module, so that the pipeline resolves and fetches
 * the versions the trainer publishes with the same code, without depending on the trainer.
 */
package io.glimpse.trainer.publish;
