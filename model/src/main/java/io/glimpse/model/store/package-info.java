/**
 * The model store that the trainer and the pipeline share: immutable artifact versions under {@code
 * <store>/<model>/<version>/}.
 *
 * <p>A {@link io.glimpse.model.store.ModelStore} {@linkplain io.glimpse.model.store.ModelStore#put
 * puts} an artifact directory as a new version, atomically and never replacing one; {@linkplain
 * io.glimpse.model.store.ModelStore#resolve resolves} the artifact URI a {@code ModelDeployment}
 * carries back to a {@link io.glimpse.model.store.StoredVersion}, refusing a URI that is not inside
 * the store; and {@linkplain io.glimpse.model.store.ModelStore#fetch fetches} a version into a
 * private directory, so that what {@code ModelArtifactLoader} verifies there is exactly what it
 * loads. {@link io.glimpse.model.store.FileModelStore} implements it for {@code file://} URIs;
 * {@link io.glimpse.model.store.S3ModelStore} for {@code s3://<bucket>/<prefix>} (AWS, MinIO, Ceph:
 * {@link io.glimpse.model.store.S3StoreSettings}), fetching through a bounded local {@code
 * VersionCache} of verified versions. {@link io.glimpse.model.store.ModelStores} opens a store from
 * a URI or a path as a user types it.
 *
 * <p>URIs are URIs: they are parsed and mapped to paths with {@link java.nio.file.Path#of(
 * java.net.URI)}, percent-encoding included, never cut as strings. Every failure, a store that
 * cannot be read included, is a {@link io.glimpse.model.store.ModelStoreException} naming the URI
 * or file and the reason; a {@link io.glimpse.model.store.StoreUnavailableException} when the store
 * could not be reached (an outage, worth retrying).
 */
package io.glimpse.model.store;
