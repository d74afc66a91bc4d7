package io.glimpse.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.Batchifier;
import ai.djl.util.Pair;
import io.glimpse.model.mobilenet.MobileNetV1;
import io.glimpse.trainer.optim.SmoothedCrossEntropyLoss;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two workers compute exactly the gradient that one thread computes for the same two shares: the
 * second worker's gradient reaches the parameters, and nothing is counted twice.
 */
class DataParallelStepTest {

  private static final int BATCH = 8;
  private static final Shape INPUT = new Shape(BATCH, 1, 32, 32);

  @Test
  void twoWorkersGiveTheGradientOfTheWholeBatch() throws Exception {
    Engine.getEngine(NetworkFactory.ENGINE).setRandomSeed(7);
    Block block =
        MobileNetV1.builder()
            .setNumClasses(10)
            .optWidthMultiplier(0.25f)
            .optInputChannels(1)
            .build();
    try (Model model = Model.newInstance("dp", Device.cpu(), NetworkFactory.ENGINE)) {
      model.setBlock(block);
      block.initialize(model.getNDManager(), DataType.FLOAT32, INPUT);
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(new SmoothedCrossEntropyLoss(10, 0.1f))
              .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0f)).build())
              .optDevices(new Device[] {Device.cpu()});
      try (Trainer trainer = model.newTrainer(config);
          NDManager manager = model.getNDManager().newSubManager()) {
        trainer.initialize(INPUT);
        NDArray x = manager.randomNormal(INPUT);
        NDArray y = manager.create(new float[] {0, 1, 2, 3, 4, 5, 6, 7});

        float expectedLoss;
        try (GradientCollector collector = trainer.newGradientCollector()) {
          NDArray first = loss(trainer, x.get("0:4"), y.get("0:4"));
          NDArray second = loss(trainer, x.get("4:8"), y.get("4:8"));
          NDArray total = first.mul(0.5f).add(second.mul(0.5f));
          collector.backward(total);
          expectedLoss = total.getFloat();
        }
        Map<String, float[]> expected = takeGradients(block);
        assertThat(expected.values()).anySatisfy(g -> assertThat(maxAbs(g)).isGreaterThan(0f));

        DataParallelStep.Outcome outcome;
        try (DataParallelStep step = new DataParallelStep(trainer, 2);
            Batch batch =
                new Batch(
                    manager.newSubManager(),
                    new NDList(x),
                    new NDList(y),
                    BATCH,
                    Batchifier.STACK,
                    Batchifier.STACK,
                    0,
                    1)) {
          outcome = step.forwardBackward(batch);
        }
        Map<String, float[]> actual = takeGradients(block);

        assertThat(outcome.loss()).isCloseTo(expectedLoss, within(1e-5f));
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (String name : expected.keySet()) {
          float[] e = expected.get(name);
          float[] a = actual.get(name);
          float tolerance = 1e-4f * Math.max(1e-3f, maxAbs(e));
          for (int i = 0; i < e.length; i++) {
            assertThat(a[i]).as("%s[%d]", name, i).isCloseTo(e[i], within(tolerance));
          }
        }
      }
    }
  }

  private static NDArray loss(Trainer trainer, NDArray x, NDArray y) {
    return trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(x)));
  }

  /** Every trainable parameter's gradient, copied out, then zeroed. */
  private static Map<String, float[]> takeGradients(Block block) {
    Map<String, float[]> gradients = new LinkedHashMap<>();
    for (Pair<String, Parameter> pair : block.getParameters()) {
      if (!pair.getValue().requiresGradient()) {
        continue;
      }
      try (NDArray gradient = pair.getValue().getArray().getGradient()) {
        gradients.put(pair.getKey(), gradient.toFloatArray());
        gradient.subi(gradient);
      }
    }
    return gradients;
  }

  private static float maxAbs(float[] values) {
    float max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }
}
