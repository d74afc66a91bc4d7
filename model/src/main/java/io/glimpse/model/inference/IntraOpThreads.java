package io.glimpse.model.inference;

import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;

/**
 * How many threads libtorch uses inside one forward pass (intra-op threads), and the measurement
 * that chooses it for a model.
 *
 * <p>The right number depends on the model: on the 2-core VM a small MobileNetV1 (α 0.25, 64×64)
 * runs up to 1.7× faster on one intra-op thread than on two (handing every small op to another
 * OpenMP thread costs more than the op), while α 1.0 at 224×224 runs 1.7× faster on two (see
 * docs/architecture.md). So {@link #choose} times the model both ways at load and keeps the faster;
 * with one intra-op thread the other cores are better used by more stream threads.
 *
 * <p>libtorch applies the setting to the thread that makes it (OpenMP's thread count is a
 * per-thread setting once a thread has run a parallel region), so {@link BatchClassifier} applies
 * its model's choice on each calling thread before a forward pass, once per change. An explicit
 * {@code -Dai.djl.pytorch.num_threads} (DJL's own switch) fixes the count and turns the measurement
 * off.
 */
public final class IntraOpThreads {
  /** DJL's system property that fixes libtorch's intra-op thread count for the process. */
  public static final String DJL_PROPERTY = "ai.djl.pytorch.num_threads";

  private static final int ROUNDS = 3;
  private static final ThreadLocal<int[]> APPLIED = ThreadLocal.withInitial(() -> new int[] {0});

  private IntraOpThreads() {}

  /**
   * What was measured and chosen.
   *
   * @param threads the intra-op threads chosen
   * @param batchSize the batch size timed
   * @param oneThreadMillis median forward pass on one thread
   * @param allThreadsMillis median forward pass on {@code cores} threads
   * @param cores the thread count compared with one
   */
  public record Choice(
      int threads, int batchSize, double oneThreadMillis, double allThreadsMillis, int cores) {}

  /** Whether the user fixed the count with {@link #DJL_PROPERTY}, so nothing is measured. */
  public static boolean fixedByUser() {
    return System.getProperty(DJL_PROPERTY) != null;
  }

  /** Sets libtorch's intra-op threads for the calling thread, if not already; 0 leaves it. */
  static void applyOnThisThread(int threads) {
    int[] applied = APPLIED.get();
    if (threads > 0 && applied[0] != threads) {
      JniUtils.setNumThreads(threads);
      applied[0] = threads;
    }
  }

  /**
   * Times {@code classifier} on a zero batch with one thread and with {@code cores} threads, in
   * alternating rounds on the calling thread, and sets the faster on the classifier.
   *
   * @param classifier a classifier on the CPU
   * @param batchSize the batch size to time, usually the pipeline's largest
   * @param cores the thread count to compare with one (the available processors)
   * @return the measurement and the choice
   * @throws InferenceException when a forward pass fails
   */
  public static Choice choose(BatchClassifier classifier, int batchSize, int cores)
      throws InferenceException {
    if (cores <= 1) {
      classifier.useIntraOpThreads(1);
      return new Choice(1, batchSize, Double.NaN, Double.NaN, cores);
    }
    ZeroBatch batch = new ZeroBatch(new float[batchSize * classifier.imageSize()], batchSize);
    double[] one = new double[ROUNDS];
    double[] all = new double[ROUNDS];
    time(classifier, 1, batch); // warm both settings first
    time(classifier, cores, batch);
    for (int round = 0; round < ROUNDS; round++) {
      one[round] = time(classifier, 1, batch);
      all[round] = time(classifier, cores, batch);
    }
    double oneMillis = median(one);
    double allMillis = median(all);
    int chosen = oneMillis <= allMillis ? 1 : cores;
    classifier.useIntraOpThreads(chosen);
    return new Choice(chosen, batchSize, oneMillis, allMillis, cores);
  }

  private static double time(BatchClassifier classifier, int threads, ZeroBatch batch)
      throws InferenceException {
    classifier.useIntraOpThreads(threads);
    long started = System.nanoTime();
    classifier.classify(batch.pixels(), batch.size());
    return (System.nanoTime() - started) / 1e6;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** A zero batch of the classifier's input shape. */
  private record ZeroBatch(float[] pixels, int size) {}
}
