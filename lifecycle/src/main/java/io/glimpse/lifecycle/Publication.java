package io.glimpse.lifecycle;

import io.glimpse.model.artifact.ModelArtifact;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.model.store.ModelStore;
import io.glimpse.model.store.ModelStoreException;
import io.glimpse.schemas.avro.ModelVersion;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The steps after a successful training run, in order: store the artifact as a new immutable
 * version, announce it on {@code model-versions}, and, when asked, promote it on {@code
 * model-deployments}.
 */
public final class Publication {

  private Publication() {}

  /**
   * Stores, and optionally announces and promotes, an artifact.
   *
   * @param artifact the artifact directory a training run wrote
   * @param store where to keep it
   * @param publisher the Kafka side, or null to only store
   * @param promote whether to deploy it when it is at least as good as the serving version
   * @param force deploy it even when it is not
   * @param deployedBy recorded in the deployment, or null
   * @return the version event and the promotion decision
   * @throws ModelStoreException when storing fails (nothing was announced then)
   * @throws PublishException when announcing or promoting fails (the version is stored)
   */
  public static PublishedVersion publish(
      Path artifact,
      ModelStore store,
      VersionPublisher publisher,
      boolean promote,
      boolean force,
      String deployedBy)
      throws ModelStoreException, PublishException {
    ModelManifest manifest = readManifest(artifact);
    String sha256 = sha256(artifact);
    URI uri = store.put(artifact, manifest.getName(), manifest.getVersion());
    ModelVersion version = ModelVersions.of(manifest, uri, sha256);
    if (publisher == null) {
      return new PublishedVersion(version, false, null);
    }
    publisher.announce(version);
    PromotionDecision decision = promote ? publisher.promote(version, force, deployedBy) : null;
    return new PublishedVersion(version, true, decision);
  }

  private static ModelManifest readManifest(Path artifact) throws ModelStoreException {
    try {
      return ModelManifest.fromJson(
          Files.readAllBytes(artifact.resolve(ModelArtifact.MANIFEST_FILE)));
    } catch (IOException | ModelArtifactException e) {
      throw new ModelStoreException(
          artifact + " is not a model artifact (" + e.getMessage() + "); pass a run's artifact/",
          e);
    }
  }

  private static String sha256(Path artifact) throws ModelStoreException {
    try {
      return ModelArtifact.manifestSha256(artifact);
    } catch (ModelArtifactException e) {
      throw new ModelStoreException(e.getMessage(), e);
    }
  }
}
