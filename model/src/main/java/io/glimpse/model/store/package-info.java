/**
 * The model store that the trainer and the pipeline share: immutable artifact versions under {@code
 * <store>/<model>/<version>/}, behind {@link io.glimpse.model.store.ModelStore}; {@link
 * io.glimpse.model.store.FileModelStore} implements it for {@code file://} URIs.
 */
package io.glimpse.model.store;
