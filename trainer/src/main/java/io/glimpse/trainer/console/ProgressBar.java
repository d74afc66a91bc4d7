package io.glimpse.trainer.console;

import io.glimpse.trainer.ProgressListener;
import io.glimpse.trainer.metrics.EpochMetrics;
import java.io.PrintWriter;

/**
 * A one-line progress bar per epoch: {@code epoch 3/12 [#####.....] 210/421 812 img/s ETA 0:41 loss
 * 0.61}, redrawn in place on a terminal (at most four times a second) or printed every tenth of the
 * epoch otherwise, then a line with the epoch's validation result.
 */
public final class ProgressBar implements ProgressListener {

  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 250_000_000L;

  private final PrintWriter out;
  private final boolean terminal;
  private int epoch;
  private int epochs;
  private int batches;
  private int batchSize;
  private long epochStart;
  private long lastDraw;
  private double smoothedLoss = Double.NaN;

  /**
   * Creates a bar.
   *
   * @param out where to draw, usually the console's error stream
   * @param terminal whether {@code out} is a terminal, where the line is redrawn with {@code \r}
   */
  public ProgressBar(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public void onEpochStart(int epoch, int epochs, int batches, int batchSize) {
    this.epoch = epoch;
    this.epochs = epochs;
    this.batches = batches;
    this.batchSize = batchSize;
    this.epochStart = System.nanoTime();
    this.lastDraw = 0;
    this.smoothedLoss = Double.NaN;
  }

  @Override
  public void onBatch(int batch, float loss) {
    smoothedLoss = Double.isNaN(smoothedLoss) ? loss : 0.9 * smoothedLoss + 0.1 * loss;
    long now = System.nanoTime();
    boolean due =
        terminal
            ? now - lastDraw >= REDRAW_NANOS || batch == batches
            : batch == batches || batch % Math.max(1, batches / 10) == 0;
    if (!due) {
      return;
    }
    lastDraw = now;
    String line = line(batch, (now - epochStart) / 1e9);
    if (terminal) {
      out.print("\r" + line);
    } else {
      out.println(line);
    }
    out.flush();
  }

  String line(int batch, double seconds) {
    int filled = batches == 0 ? WIDTH : (int) ((long) WIDTH * batch / batches);
    double perSecond = seconds > 0 ? batch * (double) batchSize / seconds : 0;
    double eta = batch > 0 ? seconds * (batches - batch) / batch : 0;
    return String.format(
        "epoch %d/%d [%s%s] %d/%d  %.0f img/s  ETA %s  loss %.3f",
        epoch,
        epochs,
        "#".repeat(filled),
        ".".repeat(WIDTH - filled),
        batch,
        batches,
        perSecond,
        clock(eta),
        smoothedLoss);
  }

  @Override
  public void onEpochEnd(EpochMetrics m, boolean best) {
    if (terminal) {
      out.println();
    }
    out.printf(
        "epoch %d/%d done in %s: train loss %.4f acc %.2f %%, validation loss %.4f acc %.2f %%%s%n",
        m.epoch(),
        epochs,
        clock(m.seconds()),
        m.trainLoss(),
        100 * m.trainAccuracy(),
        m.validationLoss(),
        100 * m.validationAccuracy(),
        best ? "  (best so far)" : "");
    out.flush();
  }

  @Override
  public void onPhase(String description) {
    out.println(description + "...");
    out.flush();
  }

  /** {@code m:ss}, or {@code h:mm:ss} from an hour. */
  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format("%d:%02d", s / 60, s % 60);
  }
}
