package io.glimpse.model.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Feeds a whole batch as one NCHW array and returns softmax probabilities per image. Every array is
 * created from the context's manager, which DJL closes after each call: arrays from a long-lived
 * manager leaked about 10 MB per batch (design.md, "DJL").
 */
final class SoftmaxTranslator implements NoBatchifyTranslator<BatchInput, float[][]> {

  @Override
  public NDList processInput(TranslatorContext ctx, BatchInput input) {
    return new NDList(ctx.getNDManager().create(FloatBuffer.wrap(input.data()), input.shape()));
  }

  @Override
  public float[][] processOutput(TranslatorContext ctx, NDList list) throws TranslateException {
    NDArray probabilities = list.singletonOrThrow().softmax(1);
    Shape shape = probabilities.getShape();
    if (shape.dimension() != 2) {
      throw new TranslateException("expected scores of shape (batch, classes), got " + shape);
    }
    int classes = Math.toIntExact(shape.get(1));
    float[] flat = probabilities.toFloatArray();
    float[][] rows = new float[Math.toIntExact(shape.get(0))][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
    }
    return rows;
  }
}
