package io.glimpse.trainer;

import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.model.store.ModelStore;
import io.glimpse.model.store.ModelStoreException;
import io.glimpse.model.store.StoredVersion;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A version registered in a model store to fine-tune from ({@code glimpse train --init-from fashion
 * 3}). The run does not read the store's files in place: it {@linkplain ModelStore#fetch fetches} a
 * private copy, which the verifying loader checks (checksums, parameter shapes) as the pipeline
 * checks what it serves, and the copy's manifest must name this model and version.
 *
 * @param store the store
 * @param modelName the model
 * @param version the version
 */
public record ParentVersion(ModelStore store, String modelName, String version) {

  /** Checks that every part is there. */
  public ParentVersion {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(version, "version");
  }

  /**
   * Copies the version into {@code target}.
   *
   * @param target a directory that does not exist yet, in a private workspace
   * @return the copy
   * @throws TrainingException when the version is not in the store or cannot be copied
   */
  Path fetch(Path target) throws TrainingException {
    try {
      StoredVersion stored =
          store.get(modelName, version).orElseThrow(() -> new TrainingException(notFound()));
      return store.fetch(stored, target);
    } catch (ModelStoreException e) {
      throw new TrainingException(
          "cannot fine-tune from " + this + ": " + e.getMessage() + "; check --store", e);
    }
  }

  /**
   * Checks that the loaded copy is this version.
   *
   * @throws TrainingException when its manifest names another model or version
   */
  void requireIdentity(ModelManifest manifest) throws TrainingException {
    if (!manifest.getName().equals(modelName) || !manifest.getVersion().equals(version)) {
      throw new TrainingException(
          store.uri()
              + " holds "
              + manifest.getName()
              + " v"
              + manifest.getVersion()
              + " where "
              + this
              + " should be; the store is damaged, re-register the version");
    }
  }

  private String notFound() {
    String known;
    try {
      known = store.list(modelName).stream().map(StoredVersion::version).toList().toString();
    } catch (ModelStoreException e) {
      known = "(cannot list: " + e.getMessage() + ")";
    }
    return this + " is not in the store " + store.uri() + "; its versions there: " + known;
  }

  @Override
  public String toString() {
    return modelName + " v" + version;
  }
}
