package io.glimpse.ops.cli.models;

import io.glimpse.lifecycle.KafkaConnection;
import io.glimpse.lifecycle.ModelCatalog;
import io.glimpse.lifecycle.PublishException;
import io.glimpse.model.files.FileTrees;
import io.glimpse.model.store.ModelStore;
import io.glimpse.model.store.ModelStoreException;
import io.glimpse.model.store.StoredVersion;
import io.glimpse.ops.evaluation.EvaluationException;
import io.glimpse.schemas.avro.ModelVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A registered version and its artifact in the model store: what {@code shadow} and {@code
 * evaluate} serve.
 *
 * @param record the version's {@code model-versions} record
 * @param path the artifact directory: in a file store, the version itself; in another store (S3), a
 *     private copy removed when the command's JVM exits
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
      return new RegisteredArtifact(record, localDirectory(store, stored));
    } catch (ModelStoreException | IOException | IllegalArgumentException e) {
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

  /** The version's directory, fetched into a temporary one unless the store is a file store. */
  private static Path localDirectory(ModelStore store, StoredVersion stored)
      throws ModelStoreException, IOException {
    if ("file".equalsIgnoreCase(stored.uri().getScheme())) {
      return Path.of(stored.uri());
    }
    Path scratch = Files.createTempDirectory("glimpse-artifact-");
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> FileTrees.deleteQuietly(scratch), "glimpse-artifact-cleanup"));
    return store.fetch(stored, scratch.resolve("artifact"));
  }
}
