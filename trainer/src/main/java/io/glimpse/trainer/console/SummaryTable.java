package io.glimpse.trainer.console;

import io.glimpse.trainer.TrainingResult;
import io.glimpse.trainer.metrics.ClassificationReport;
import io.glimpse.trainer.metrics.EpochMetrics;
import java.io.PrintWriter;

/**
 * Prints a run's summary: one row per epoch, the best epoch's validation and test accuracy,
 * per-class test accuracy, and where the outputs are.
 */
public final class SummaryTable {

  private SummaryTable() {}

  /**
   * Prints the summary.
   *
   * @param result the run's result
   * @param out where to print
   */
  public static void print(TrainingResult result, PrintWriter out) {
    out.println();
    out.println("epoch  train loss  train acc  val loss   val acc         lr    time   elapsed");
    for (EpochMetrics m : result.history()) {
      out.printf(
          "%5d  %10.4f  %8.2f%%  %8.4f  %7.2f%%  %9.5f  %6s  %8s%s%n",
          m.epoch(),
          m.trainLoss(),
          100 * m.trainAccuracy(),
          m.validationLoss(),
          100 * m.validationAccuracy(),
          m.learningRate(),
          ProgressBar.clock(m.seconds()),
          ProgressBar.clock(m.elapsedSeconds()),
          m.epoch() == result.bestEpoch() ? "  <- best" : "");
    }
    out.println();
    out.printf(
        "best epoch %d: validation accuracy %.2f %%%s%n",
        result.bestEpoch(),
        100 * result.validation().accuracy(),
        result
            .testReport()
            .map(
                t ->
                    String.format(
                        ", test accuracy %.2f %% (%d images)", 100 * t.accuracy(), t.total()))
            .orElse(""));
    perClass(result.testReport().orElse(result.validation()), out);
    out.printf("wall time %s%n", ProgressBar.clock(result.wallTime().toMillis() / 1000.0));
    out.printf("artifact  %s%n", result.artifactDirectory());
    out.printf("metrics   %s%n", result.metricsFile());
    result.plots().forEach(p -> out.printf("plot      %s%n", p));
    out.flush();
  }

  private static void perClass(ClassificationReport report, PrintWriter out) {
    double[] accuracy = report.perClassAccuracy();
    StringBuilder line = new StringBuilder("per class:");
    for (int i = 0; i < accuracy.length; i++) {
      line.append(String.format(" %s %.1f %%", report.classes().get(i), 100 * accuracy[i]));
      line.append(i < accuracy.length - 1 ? "," : "");
    }
    out.println(line);
  }
}
