package io.glimpse.model.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Feeds a whole batch as one NCHW array and returns softmax probabilities per image.
 *
 * <p>Every array is created from the context's manager, which DJL closes after each call: arrays
 * from a long-lived manager leaked about 10 MB per batch (design.md, "DJL"). The input is staged in
 * one direct buffer that this translator reuses: given a {@code float[]}, DJL's PyTorch manager
 * would allocate a fresh direct buffer per batch, whose native memory is only freed when the
 * garbage collector gets to it (tens of MiB between collections in the soak test). On the CPU the
 * input tensor reads the staging buffer in place; it is closed with the context before the next
 * call. Not thread-safe: one instance per predictor, as {@link BatchClassifier} does.
 */
final class SoftmaxTranslator implements NoBatchifyTranslator<BatchInput, float[][]> {

  private ByteBuffer staging = ByteBuffer.allocateDirect(0);

  @Override
  public NDList processInput(TranslatorContext ctx, BatchInput input) {
    int bytes = Math.multiplyExact(input.data().length, Float.BYTES);
    if (staging.capacity() < bytes) {
      staging = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
    staging.clear();
    staging.asFloatBuffer().put(input.data());
    staging.limit(bytes);
    return new NDList(ctx.getNDManager().create(staging, input.shape(), DataType.FLOAT32));
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
