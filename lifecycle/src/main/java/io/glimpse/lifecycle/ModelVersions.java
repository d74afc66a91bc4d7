package io.glimpse.lifecycle;

import io.glimpse.model.artifact.ModelManifest;
import io.glimpse.schemas.avro.InputShape;
import io.glimpse.schemas.avro.ModelFormat;
import io.glimpse.schemas.avro.ModelVersion;
import io.glimpse.schemas.avro.Normalization;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;

/**
 * Builds the {@code model-versions} event of a model version from its manifest; deployments are
 * built by {@link DeploymentRecords}.
 */
public final class ModelVersions {

  /** The metric promotion compares. */
  public static final String VALIDATION_ACCURACY = "validation_accuracy";

  private ModelVersions() {}

  /**
   * Returns the {@code model-versions} event of a stored artifact.
   *
   * @param manifest the artifact's manifest
   * @param artifactUri where the store put it
   * @param manifestSha256 the sha256 of its {@code manifest.json}
   * @return the event
   */
  public static ModelVersion of(ModelManifest manifest, URI artifactUri, String manifestSha256) {
    var shape = manifest.getInputShape();
    var normalization = manifest.getNormalization();
    return ModelVersion.newBuilder()
        .setModelName(manifest.getName())
        .setVersion(manifest.getVersion())
        .setArtifactUri(artifactUri.toString())
        .setSha256(manifestSha256)
        .setFormat(ModelFormat.valueOf(manifest.getFormat().name()))
        .setArchitecture(manifest.getArchitecture())
        .setWidthMultiplier(manifest.getWidthMultiplier())
        .setInputShape(new InputShape(shape.channels(), shape.height(), shape.width()))
        .setNormalization(
            new Normalization(
                new ArrayList<>(normalization.mean()), new ArrayList<>(normalization.std())))
        .setLabels(new ArrayList<>(manifest.getLabels()))
        .setMetrics(new HashMap<>(manifest.getMetrics()))
        .setCreatedTime(manifest.getCreatedTime())
        .setParentVersion(manifest.getParentVersion().orElse(null))
        .setTrainingData(manifest.getTrainingData().orElse(null))
        .build();
  }
}
