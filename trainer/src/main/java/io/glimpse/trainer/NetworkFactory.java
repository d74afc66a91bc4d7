package io.glimpse.trainer;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.glimpse.model.mobilenet.MobileNetV1;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the MobileNetV1 a run trains and gives it its starting weights: random from the seed, a
 * parent model's (fine-tuning), or a checkpoint's (resuming).
 */
final class NetworkFactory {

  static final String ENGINE = "PyTorch";
  private static final Logger logger = LoggerFactory.getLogger(NetworkFactory.class);

  private NetworkFactory() {}

  static Block block(PreparedRun run) {
    return MobileNetV1.builder()
        .setNumClasses(run.classes().size())
        .optWidthMultiplier(run.widthMultiplier())
        .optInputChannels(run.input().channels())
        .build();
  }

  /**
   * Random weights, the same for the same seed: {@link KaimingFanOutInitializer} for convolution
   * and classifier weights, DJL's defaults (ones and zeros) for batch norm and biases.
   */
  static void initialize(Model model, PreparedRun run, long seed) {
    Engine.getEngine(ENGINE).setRandomSeed(Math.floorMod(seed, Integer.MAX_VALUE));
    Block block = model.getBlock();
    block.setInitializer(new KaimingFanOutInitializer(), Parameter.Type.WEIGHT);
    block.initialize(model.getNDManager(), DataType.FLOAT32, run.input().toBatchShape(1));
  }

  /**
   * Random weights, then every parameter of the parent with the same name and shape copied over:
   * all of them when the class count matches, all but the classifier otherwise.
   */
  static void copyFromParent(Model model, Block parent) throws TrainingException {
    Map<String, Parameter> source = new HashMap<>();
    for (Pair<String, Parameter> pair : parent.getParameters()) {
      source.put(pair.getKey(), pair.getValue());
    }
    int copied = 0;
    int total = 0;
    for (Pair<String, Parameter> pair : model.getBlock().getParameters()) {
      total++;
      Parameter from = source.get(pair.getKey());
      Parameter to = pair.getValue();
      if (from != null && from.getArray().getShape().equals(to.getArray().getShape())) {
        copy(from, to, model);
        copied++;
      }
    }
    logger.info("Fine-tuning: copied {} of {} parameters from the parent model", copied, total);
  }

  private static void copy(Parameter from, Parameter to, Model model) throws TrainingException {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        from.save(out);
      }
      try (DataInputStream in =
          new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        to.load(model.getNDManager(), in);
      }
    } catch (IOException | MalformedModelException e) {
      throw new TrainingException(
          "cannot copy parameter " + to.getName() + " from the parent model: " + e, e);
    }
  }

  /** Loads weights saved by {@link io.glimpse.trainer.checkpoint.CheckpointStore}. */
  static void load(Model model, Path checkpoint, String prefix) throws TrainingException {
    try {
      model.load(checkpoint, prefix, Map.of("epoch", "0"));
    } catch (IOException | MalformedModelException | RuntimeException e) {
      throw new TrainingException(
          "cannot load "
              + prefix
              + " weights from checkpoint "
              + checkpoint
              + " ("
              + e.getMessage()
              + "); was it written for the same network? Start a fresh run without --resume",
          e);
    }
  }
}
