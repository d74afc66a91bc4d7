/**
 * The model artifact format shared by the trainer and the pipeline, and its verified loading.
 *
 * <p>An artifact is a directory holding exactly:
 *
 * <ul>
 *   <li>{@code manifest.json}: a {@link io.glimpse.model.artifact.ModelManifest} that names the
 *       model and version, describes the network and its input, lists the labels and pins the
 *       sha256 of every other file;
 *   <li>the parameters: DJL's {@code Model.save} output ({@code <name>-NNNN.params}) for format
 *       {@code djl}, or a TorchScript {@code .pt} file for format {@code torchscript};
 *   <li>{@code labels.txt}: one label per line, the same labels as the manifest.
 * </ul>
 *
 * <p>{@link io.glimpse.model.artifact.ModelArtifactWriter} writes one atomically, {@link
 * io.glimpse.model.artifact.ModelArchive} packs it into (and safely out of) a single zip file, and
 * {@link io.glimpse.model.artifact.ModelArtifactLoader} verifies every byte against the manifest
 * before handing anything to libtorch, loads, warms up and returns a {@link
 * io.glimpse.model.artifact.LoadedModel}. The sha256 of {@code manifest.json} ({@link
 * io.glimpse.model.artifact.ModelArtifact#manifestSha256(java.nio.file.Path)}) therefore pins the
 * whole artifact; it is what {@code ModelVersion.sha256} and {@code ModelDeployment.sha256} carry.
 */
package io.glimpse.model.artifact;
