package io.glimpse.model.artifact;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import io.glimpse.model.mobilenet.FoldedMobileNet;
import io.glimpse.model.mobilenet.Precision;
import java.io.IOException;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the folded serving form of a loaded DJL MobileNetV1 ({@link FoldedMobileNet}) and proves
 * it computes what the trained form computes: on the same random batch of two, every softmax
 * probability within {@link #TOLERANCE} (fp32) or {@link #BF16_TOLERANCE} (bf16). A form that fails
 * the check (a Glimpse bug, not a bad artifact) is dropped with a warning and the trained block
 * serves, slower but right.
 */
final class FoldedForm {
  /** Largest difference in any probability between the fp32 folded and the trained form. */
  static final double TOLERANCE = 1e-5;

  /**
   * The same for bf16, whose 8-bit mantissa rounds every weight and activation by up to 0.4 %: it
   * catches a wrong program (wrong layout, wrong layer: differences near 1), not rounding.
   */
  static final double BF16_TOLERANCE = 0.05;

  private static final Logger logger = LoggerFactory.getLogger(FoldedForm.class);

  private FoldedForm() {}

  static Optional<Model> build(Model trained, ModelManifest manifest, Precision precision) {
    Model folded;
    try {
      folded = FoldedMobileNet.fold(trained, precision);
    } catch (IOException | RuntimeException e) {
      logger.warn(
          "Serving {} with the DJL block: folding failed ({})", manifest.getName(), e.toString());
      return Optional.empty();
    }
    Shape input = manifest.getInputShape().toBatchShape(2);
    try {
      double difference =
          maxDifference(probabilities(trained, input), probabilities(folded, input));
      double tolerance = precision == Precision.FP32 ? TOLERANCE : BF16_TOLERANCE;
      if (difference <= tolerance) {
        logger.debug(
            "Folded {} ({}): probabilities within {} of the trained form",
            manifest.getName(),
            precision.word(),
            difference);
        return Optional.of(folded);
      }
      logger.warn(
          "Serving {} with the DJL block: the folded {} form's probabilities differ by {} (> {})",
          manifest.getName(),
          precision.word(),
          difference,
          tolerance);
    } catch (TranslateException | RuntimeException e) {
      logger.warn(
          "Serving {} with the DJL block: the folded form failed ({})",
          manifest.getName(),
          e.toString());
    }
    folded.close();
    return Optional.empty();
  }

  private static float[] probabilities(Model model, Shape input) throws TranslateException {
    try (Predictor<Shape, float[]> predictor = model.newPredictor(new SeededInput())) {
      return predictor.predict(input);
    }
  }

  private static double maxDifference(float[] a, float[] b) {
    if (a.length != b.length) {
      return Double.POSITIVE_INFINITY;
    }
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  /** The same pseudo-random normal batch on every call; softmax probabilities out. */
  private static final class SeededInput implements NoBatchifyTranslator<Shape, float[]> {
    @Override
    public NDList processInput(TranslatorContext ctx, Shape shape) {
      float[] values = new float[Math.toIntExact(shape.size())];
      Random random = new Random(12);
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) random.nextGaussian();
      }
      return new NDList(ctx.getNDManager().create(values, shape));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
      NDArray logits = list.singletonOrThrow();
      return logits.softmax(1).toFloatArray();
    }
  }
}
