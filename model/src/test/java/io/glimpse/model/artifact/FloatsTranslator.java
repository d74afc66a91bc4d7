package io.glimpse.model.artifact;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

/** Feeds one preprocessed image as floats and returns the raw scores; arrays from the context. */
final class FloatsTranslator implements Translator<float[], float[]> {

  private final Shape batchShape;

  FloatsTranslator(Shape batchShape) {
    this.batchShape = batchShape;
  }

  @Override
  public NDList processInput(TranslatorContext ctx, float[] input) {
    return new NDList(ctx.getNDManager().create(input, batchShape));
  }

  @Override
  public float[] processOutput(TranslatorContext ctx, NDList list) {
    return list.singletonOrThrow().toFloatArray();
  }

  @Override
  public Batchifier getBatchifier() {
    return null;
  }
}
