package io.glimpse.trainer.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Batchifier;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;

/** Builds one epoch's batches lazily; each batch owns a sub-manager of the given manager. */
final class EpochIterator implements Iterator<Batch> {

  private final NDManager manager;
  private final BatchAssembler assembler;
  private final int[] order;
  private final int batches;
  private final int batchSize;
  private final Random random;
  private int next;

  EpochIterator(
      NDManager manager,
      BatchAssembler assembler,
      int[] order,
      int batches,
      int batchSize,
      Random random) {
    this.manager = manager;
    this.assembler = assembler;
    this.order = order;
    this.batches = batches;
    this.batchSize = batchSize;
    this.random = random;
  }

  @Override
  public boolean hasNext() {
    return next < batches;
  }

  @Override
  public Batch next() {
    if (!hasNext()) {
      throw new NoSuchElementException("the epoch has " + batches + " batches");
    }
    int from = next * batchSize;
    int count = Math.min(batchSize, order.length - from);
    float[] data = new float[count * assembler.imageFloats()];
    assembler.write(order, from, count, random, data);
    float[] labels = labels(from, count);
    next++;
    return batch(manager.newSubManager(), data, labels, count, from);
  }

  private float[] labels(int from, int count) {
    float[] labels = new float[count];
    for (int i = 0; i < count; i++) {
      labels[i] = assembler.label(order[from + i]);
    }
    return labels;
  }

  private Batch batch(NDManager batchManager, float[] data, float[] labels, int count, int from) {
    NDList x = new NDList(batchManager.create(FloatBuffer.wrap(data), assembler.batchShape(count)));
    NDList y = new NDList(batchManager.create(labels));
    return new Batch(
        batchManager,
        x,
        y,
        count,
        Batchifier.STACK,
        Batchifier.STACK,
        next,
        batches,
        Arrays.stream(order, from, from + count).boxed().toList());
  }
}
