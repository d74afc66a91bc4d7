package io.glimpse.lifecycle;

import io.glimpse.schemas.avro.ModelDeployment;
import io.glimpse.schemas.avro.ModelVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the models deployed now know the labels of the images about to be published: the check
 * behind {@code glimpse publish --dataset}'s warning that a data set is meant for another model
 * (Fashion-MNIST published to a pipeline serving the generated-shapes model). The pipeline counts
 * the same mismatch image by image, after the fact; this says it before a single image is sent.
 */
public final class LabelCheck {
  private static final int LABELS_SHOWN = 6;

  private LabelCheck() {}

  /**
   * Compares a data set's labels with those of every deployed version.
   *
   * @param catalog where to read the deployments and versions
   * @param dataName the data set, for the message
   * @param dataLabels the data set's labels
   * @return a warning when models are deployed and none of them knows every one of the labels;
   *     empty when one does, or when nothing is deployed yet
   * @throws PublishException when Kafka or the registry fails or times out
   */
  public static Optional<String> unknownToDeployedModels(
      ModelCatalog catalog, String dataName, List<String> dataLabels) throws PublishException {
    Map<String, ModelDeployment> deployed = catalog.deployments();
    List<String> served = new ArrayList<>();
    for (ModelDeployment deployment : deployed.values()) {
      Optional<ModelVersion> version =
          catalog.version(deployment.getModelName(), deployment.getVersion());
      if (version.isEmpty()) {
        continue;
      }
      List<String> labels = version.get().getLabels();
      if (labels.containsAll(dataLabels)) {
        return Optional.empty();
      }
      served.add(
          deployment.getModelName()
              + " "
              + deployment.getVersion()
              + " ("
              + shown(labels, LABELS_SHOWN)
              + trainedOn(version.get())
              + ")");
    }
    if (served.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        dataName
            + "'s labels ("
            + shown(dataLabels, LABELS_SHOWN)
            + ") are not the labels of the model deployed now: "
            + String.join("; ", served)
            + ". Every prediction for these images will be one of that model's labels, so"
            + " wrong. Train and deploy a model for this data first (glimpse train --dataset "
            + dataName
            + " --promote; on the embedded stack, bin/glimpse demo does it for the data set it"
            + " finds).");
  }

  private static String trainedOn(ModelVersion version) {
    return version.getTrainingData() == null ? "" : "; trained on " + version.getTrainingData();
  }

  /**
   * A label list for a message: all of them, or the first {@code most} and how many there are.
   *
   * @param labels the labels
   * @param most how many to name at most
   * @return e.g. {@code circle, ring, … (10 in all)}
   */
  public static String shown(List<String> labels, int most) {
    return labels.size() <= most
        ? String.join(", ", labels)
        : String.join(", ", labels.subList(0, most)) + ", … (" + labels.size() + " in all)";
  }
}
