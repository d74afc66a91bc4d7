package io.glimpse.model.artifact;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

/**
 * One forward pass of a zero image of the manifest's input shape. It makes libtorch allocate and
 * pick kernels before the first real request, and proves the model takes the manifest's input and
 * returns one score per label.
 */
final class WarmUp {

  private WarmUp() {}

  static void run(Model model, ModelManifest manifest) throws ModelArtifactException {
    Shape input = manifest.getInputShape().toBatchShape(1);
    Shape expected = new Shape(1, manifest.getLabels().size());
    Shape output;
    try (Predictor<Shape, Shape> predictor = model.newPredictor(new ZerosTranslator())) {
      output = predictor.predict(input);
    } catch (TranslateException | RuntimeException e) {
      throw new ModelArtifactException(
          "warm-up forward pass on input "
              + input
              + " failed ("
              + e.getMessage()
              + "); the model cannot take the manifest's input shape, re-publish it",
          e);
    }
    if (!expected.equals(output)) {
      throw new ModelArtifactException(
          "warm-up forward pass returned "
              + output
              + " but the manifest's "
              + manifest.getLabels().size()
              + " labels need "
              + expected
              + "; the manifest and the model come from different models, re-publish it");
    }
  }

  /** Input: the batch shape to fill with zeros; output: the shape of the model's output. */
  private static final class ZerosTranslator implements Translator<Shape, Shape> {

    @Override
    public NDList processInput(TranslatorContext ctx, Shape shape) {
      return new NDList(ctx.getNDManager().zeros(shape));
    }

    @Override
    public Shape processOutput(TranslatorContext ctx, NDList list) {
      return list.singletonOrThrow().getShape();
    }

    @Override
    public Batchifier getBatchifier() {
      return null; // the input already is a batch of one
    }
  }
}
