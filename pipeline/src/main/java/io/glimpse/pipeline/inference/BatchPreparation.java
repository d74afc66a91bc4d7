package io.glimpse.pipeline.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs the per-image work of a batch (deserialize, decode, preprocess into the batch tensor) on the
 * calling stream thread alone, or spread over every core.
 *
 * <p>Spread when the model's forward pass uses every core itself (a large model on one stream
 * thread): otherwise the other cores idle while one decodes a batch of photos, then all of them run
 * the forward pass, taking turns. With a small model each core has a stream thread of its own and
 * the work stays on it (handing 64×64 images to another thread costs more than decoding them). Each
 * index is handled exactly once; the work for an index must touch only its own slots.
 */
final class BatchPreparation {
  private static final int CORES = Runtime.getRuntime().availableProcessors();
  private static final ExecutorService HELPERS = CORES < 2 ? null : helpers();

  private BatchPreparation() {}

  private static ExecutorService helpers() {
    AtomicInteger count = new AtomicInteger();
    return Executors.newFixedThreadPool(
        CORES - 1,
        task -> {
          Thread thread = new Thread(task, "glimpse-decode-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  /**
   * Calls {@code work} for every index from 0 to {@code count - 1}, on the calling thread and, when
   * {@code spread}, the decode helpers too; returns when all are done. A runtime exception thrown
   * by the work is rethrown here (the first one).
   */
  static void run(int count, boolean spread, IntConsumer work) {
    int parts = spread && HELPERS != null ? Math.min(CORES, count) : 1;
    if (parts <= 1) {
      for (int i = 0; i < count; i++) {
        work.accept(i);
      }
      return;
    }
    List<Future<?>> helping = new ArrayList<>(parts - 1);
    for (int part = 1; part < parts; part++) {
      int first = part;
      helping.add(HELPERS.submit(() -> every(first, parts, count, work)));
    }
    RuntimeException failure = null;
    try {
      every(0, parts, count, work);
    } catch (RuntimeException e) {
      failure = e;
    }
    for (Future<?> help : helping) {
      try {
        awaitUninterruptibly(help);
      } catch (ExecutionException e) {
        if (failure == null) {
          failure =
              e.getCause() instanceof RuntimeException runtime
                  ? runtime
                  : new IllegalStateException(e.getCause());
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Indices first, first + step, … below count. */
  private static void every(int first, int step, int count, IntConsumer work) {
    for (int i = first; i < count; i += step) {
      work.accept(i);
    }
  }

  /** The helpers finish a bounded amount of work; an interrupt is kept for the caller to see. */
  private static void awaitUninterruptibly(Future<?> future) throws ExecutionException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          future.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
