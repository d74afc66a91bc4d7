package io.glimpse.pipeline.serving;

import io.glimpse.model.artifact.InputShape;
import io.glimpse.model.artifact.ModelManifest;
import java.util.List;
import java.util.Optional;

/**
 * What a new version must keep from the version it replaces, so that producers and consumers of a
 * running pipeline need not change: the same input shape and channels (what images are resized to)
 * and the same labels in the same order (what predictions mean). A version that changes either is a
 * new model: deploy it under another name.
 */
final class ServingContract {
  private ServingContract() {}

  /**
   * Checks a candidate against the served version.
   *
   * @return why the candidate does not fit, empty when it does
   */
  static Optional<String> violation(ModelManifest served, ModelManifest candidate) {
    InputShape was = served.getInputShape();
    InputShape is = candidate.getInputShape();
    if (!was.equals(is)) {
      return Optional.of(
          String.format(
              "it takes %s input, the served version %s takes %s; a different input is a new"
                  + " model: deploy it under another name",
              describe(is), served.getVersion(), describe(was)));
    }
    List<String> wasLabels = served.getLabels();
    List<String> isLabels = candidate.getLabels();
    if (wasLabels.size() != isLabels.size()) {
      return Optional.of(
          String.format(
              "it has %d classes, the served version %s has %d; consumers of the predictions"
                  + " would misread them: deploy it under another name",
              isLabels.size(), served.getVersion(), wasLabels.size()));
    }
    if (!wasLabels.equals(isLabels)) {
      return Optional.of(
          "its labels differ from the served version "
              + served.getVersion()
              + "'s (first difference at class "
              + firstDifference(wasLabels, isLabels)
              + "); deploy it under another name");
    }
    return Optional.empty();
  }

  private static String describe(InputShape s) {
    return s.channels() + "x" + s.height() + "x" + s.width();
  }

  private static int firstDifference(List<String> a, List<String> b) {
    int i = 0;
    while (i < a.size() && a.get(i).equals(b.get(i))) {
      i++;
    }
    return i;
  }
}
