package io.glimpse.ops.cli.models;

import io.glimpse.lifecycle.KafkaConnection;
import io.glimpse.lifecycle.ModelCatalog;
import io.glimpse.lifecycle.PublishException;
import io.glimpse.model.store.ModelStore;
import io.glimpse.model.store.ModelStoreException;
import io.glimpse.model.store.StoredVersion;
import io.glimpse.ops.evaluation.EvaluationException;
import io.glimpse.schemas.avro.ModelVersion;
import java.nio.file.Path;

/**
 * A registered version and its artifact in the model store: what {@code shadow} and {@code
 * evaluate} serve.
 *
 * @param record the version's {@code model-versions} record
 * @param path the artifact directory
 */
record RegisteredArtifact(ModelVersion record, Path path) {

  /**
   * Finds a version's artifact.
   *
   * @throws EvaluationException when the version is not registered or not in the store
   * @throws PublishException when Kafka or the registry fails
   */
  static RegisteredArtifact find(
      KafkaConnection kafka, ModelStore store, String model, String version)
      throws EvaluationException, PublishException {
    ModelVersion record =
        new ModelCatalog(kafka)
            .version(model, version)
            .orElseThrow(
                () ->
                    new EvaluationException(
                        model
                            + " v"
                            + version
                            + " is not registered on model-versions; register it first (glimpse"
                            + " models register) or name a registered version (glimpse models"
                            + " list "
                            + model
                            + ")",
                        null));
    try {
      StoredVersion stored = store.resolve(record.getArtifactUri());
      return new RegisteredArtifact(record, Path.of(stored.uri()));
    } catch (ModelStoreException | IllegalArgumentException e) {
      throw new EvaluationException(
          model
              + " v"
              + version
              + " is not in the store "
              + store.uri()
              + " ("
              + e.getMessage()
              + "); pass the store it was registered in (--store)",
          e);
    }
  }
}
