/**
 * Publishing model versions: a {@link io.glimpse.model.store.ModelStore} keeps artifacts immutable
 * under {@code <store>/<model>/<version>/} ({@link io.glimpse.model.store.FileModelStore} for
 * {@code file://}; another store, S3-compatible say, implements the same interface), and a {@link
 * io.glimpse.trainer.publish.VersionPublisher} announces a stored version on {@code model-versions}
 * and, when asked and when it is at least as good as the serving one, deploys it on {@code
 * model-deployments}.
 */
package io.glimpse.trainer.publish;
