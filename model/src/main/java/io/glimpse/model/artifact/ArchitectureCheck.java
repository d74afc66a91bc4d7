package io.glimpse.model.artifact;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import io.glimpse.model.mobilenet.MobileNetV1;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks that a block's parameters are the ones the manifest's network has, name by name and shape
 * by shape. DJL's parameter loading takes each array's shape from the file without comparing it to
 * the network, so without this a manifest with 11 labels would happily serve a 10-output model.
 */
final class ArchitectureCheck {

  private ArchitectureCheck() {}

  /** Builds the manifest's network as DJL would for the manifest's input. */
  static Block networkFor(ModelManifest manifest) {
    return MobileNetV1.builder()
        .setNumClasses(manifest.getLabels().size())
        .optWidthMultiplier(manifest.getWidthMultiplier())
        .optInputChannels(manifest.getInputShape().channels())
        .build();
  }

  static void verify(Block block, ModelManifest manifest) throws ModelArtifactException {
    Map<String, Shape> expected = expectedShapes(manifest);
    Map<String, Shape> actual = shapes(block);
    if (!expected.keySet().equals(actual.keySet())) {
      throw new ModelArtifactException(
          "the parameters are not laid out as io.glimpse.model.mobilenet.MobileNetV1: expected "
              + expected.size()
              + " parameters "
              + expected.keySet()
              + ", got "
              + actual.size()
              + " "
              + actual.keySet());
    }
    for (Map.Entry<String, Shape> entry : expected.entrySet()) {
      Shape found = actual.get(entry.getKey());
      if (!entry.getValue().equals(found)) {
        throw new ModelArtifactException(
            explain(entry.getKey(), entry.getValue(), found, manifest));
      }
    }
  }

  private static String explain(String name, Shape expected, Shape found, ModelManifest m) {
    String fix = "; the manifest and the parameters come from different models, re-publish it";
    if (name.endsWith("classifier_weight") && found.dimension() == 2) {
      return "manifest lists "
          + m.getLabels().size()
          + " labels but the parameters' classifier has "
          + found.get(0)
          + " outputs"
          + fix;
    }
    if (name.endsWith("stem_01Conv2d_weight")
        && found.dimension() == 4
        && found.get(1) != expected.get(1)) {
      return "manifest says "
          + m.getInputShape().channels()
          + " input channel(s) but the"
          + " parameters' first convolution takes "
          + found.get(1)
          + fix;
    }
    return "parameter "
        + name
        + " has shape "
        + found
        + " but the manifest (widthMultiplier "
        + m.getWidthMultiplier()
        + ", "
        + m.getLabels().size()
        + " labels) implies "
        + expected
        + fix;
  }

  /**
   * Parameter shapes of a freshly initialized reference network; its arrays live briefly. Only the
   * shapes are wanted, so every parameter is initialized with zeros (an allocation) instead of the
   * random draws training starts from, which cost 40 ms of a core at α 1.0 on every load.
   */
  private static Map<String, Shape> expectedShapes(ModelManifest manifest) {
    Block reference = networkFor(manifest);
    reference.setInitializer(Initializer.ZEROS, parameter -> true);
    try (NDManager scratch = NDManager.newBaseManager(Device.cpu())) {
      reference.initialize(scratch, DataType.FLOAT32, manifest.getInputShape().toBatchShape(1));
      return shapes(reference);
    }
  }

  private static Map<String, Shape> shapes(Block block) {
    Map<String, Shape> shapes = new LinkedHashMap<>();
    for (Pair<String, Parameter> pair : block.getParameters()) {
      shapes.put(pair.getKey(), pair.getValue().getShape());
    }
    return shapes;
  }
}
