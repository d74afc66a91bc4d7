package io.glimpse.model.store;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.ModelArtifactException;
import io.glimpse.model.mobilenet.UntrainedModels;
import java.nio.file.Path;

/** Writes tiny real artifacts (MobileNetV1 α=0.25, 1×32×32, three labels) for the store tests. */
final class Artifacts {

  private Artifacts() {}

  /** Writes {@code <dir>/<version>/}, an artifact of model {@code name}, and returns it. */
  static Path write(Path dir, String name, String version) throws ModelArtifactException {
    Path artifact = dir.resolve(name + "-" + version);
    UntrainedModels.write(
        artifact,
        name,
        version,
        0.25f,
        new InputShape(1, 32, 32),
        UntrainedModels.numberedLabels(3),
        1);
    return artifact;
  }
}
