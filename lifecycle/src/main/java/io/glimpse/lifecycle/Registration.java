package io.glimpse.lifecycle;

import ai.djl.Device;
import io.glimpse.model.artifact.LoadedModel;
import io.glimpse.model.artifact.ModelArtifact;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.artifact.ModelArtifactLoader;
import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.model.store.ModelStore;
import io.glimpse.model.store.ModelStoreException;
import io.glimpse.model.store.StoredVersion;
import io.glimpse.schemas.avro.ModelVersion;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers an artifact made anywhere (a training run elsewhere, a TorchScript export) as a model
 * version ({@code glimpse models register}), in an order that leaves nothing half-written: the
 * artifact is loaded with {@link ModelArtifactLoader} first (so what libtorch cannot load is never
 * stored), then {@code model-versions} is read (so an unreachable Kafka fails before the store is
 * touched), then the artifact is put into the store, then announced.
 *
 * <p>Registering is idempotent: a version already in the store or on {@code model-versions} with
 * the same manifest sha256 is not written again, only completed, so a registration that failed
 * after storing is finished by running it again. The same version with another artifact is refused.
 */
public final class Registration {

  private static final Logger logger = LoggerFactory.getLogger(Registration.class);

  private final ModelStore store;
  private final ModelCatalog catalog;
  private final VersionPublisher publisher;

  /**
   * Creates a registration into a store and onto a Kafka cluster.
   *
   * @param store where versions are kept
   * @param kafka where {@code model-versions} is
   */
  public Registration(ModelStore store, KafkaConnection kafka) {
    this.store = store;
    this.catalog = new ModelCatalog(kafka);
    this.publisher = VersionPublisher.of(kafka);
  }

  /**
   * Verifies, stores and announces an artifact directory as the version its manifest names.
   *
   * @param artifact a complete artifact directory (manifest, parameters, labels)
   * @return the version's record and what this call wrote
   * @throws ModelArtifactException when the artifact fails verification or does not load
   * @throws ModelStoreException when the store holds this version with another artifact, or cannot
   *     be read or written
   * @throws PublishException when Kafka or the registry fails or times out, or {@code
   *     model-versions} has this version with another artifact
   */
  public Registered register(Path artifact)
      throws ModelArtifactException, ModelStoreException, PublishException {
    ModelManifest manifest = verify(artifact);
    String sha256 = ModelArtifact.manifestSha256(artifact);
    String name = manifest.getName();
    String version = manifest.getVersion();
    Optional<ModelVersion> announced = catalog.version(name, version);
    if (announced.isPresent() && !announced.get().getSha256().equalsIgnoreCase(sha256)) {
      throw new PublishException(
          name
              + " v"
              + version
              + " is already registered with another artifact (manifest sha256 "
              + announced.get().getSha256()
              + "); versions are immutable, register this one as a new version (--version "
              + store.nextVersion(name)
              + ")");
    }
    Optional<StoredVersion> stored = store.get(name, version);
    URI uri;
    if (stored.isPresent()) {
      requireSameArtifact(stored.get(), sha256);
      uri = stored.get().uri();
    } else {
      uri = store.put(artifact, name, version);
    }
    ModelVersion record = ModelVersions.of(manifest, uri, sha256);
    if (announced.isEmpty()) {
      announce(record, uri);
    }
    logger.info("Registered {} v{} at {}", name, version, uri);
    return new Registered(record, stored.isEmpty(), announced.isEmpty());
  }

  private static ModelManifest verify(Path artifact) throws ModelArtifactException {
    ModelArtifactLoader loader = ModelArtifactLoader.builder().optDevice(Device.cpu()).build();
    try (LoadedModel loaded = loader.load(artifact)) {
      return loaded.getManifest();
    }
  }

  private void announce(ModelVersion record, URI uri) throws PublishException {
    try {
      publisher.announce(record);
    } catch (PublishException e) {
      throw new PublishException(
          e.getMessage()
              + " ("
              + record.getModelName()
              + " v"
              + record.getVersion()
              + " is stored at "
              + uri
              + " but not announced: run the same register again once Kafka is reachable)",
          e);
    }
  }

  /** The stored version must be this artifact: its manifest has the same sha256. */
  private void requireSameArtifact(StoredVersion stored, String sha256) throws ModelStoreException {
    String storedSha256;
    try (ScratchDirectory scratch = ScratchDirectory.create("glimpse-register-")) {
      storedSha256 =
          ModelArtifact.manifestSha256(store.fetch(stored, scratch.path().resolve("stored")));
    } catch (IOException | ModelArtifactException e) {
      throw new ModelStoreException(
          "cannot compare with the stored " + stored.uri() + ": " + e.getMessage(), e);
    }
    if (!storedSha256.equalsIgnoreCase(sha256)) {
      throw new ModelStoreException(
          stored.modelName()
              + " v"
              + stored.version()
              + " is already in the store "
              + store.uri()
              + " with another artifact; versions are immutable, register this one as a new"
              + " version (--version "
              + store.nextVersion(stored.modelName())
              + ")");
    }
  }

  /**
   * The outcome of {@link #register}.
   *
   * @param version the {@code model-versions} record
   * @param stored whether this call put the artifact into the store (false: it was there)
   * @param announced whether this call announced it (false: it was announced already)
   */
  public record Registered(ModelVersion version, boolean stored, boolean announced) {}
}
