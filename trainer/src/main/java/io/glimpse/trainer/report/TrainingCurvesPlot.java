package io.glimpse.trainer.report;

import io.glimpse.trainer.metrics.EpochMetrics;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Draws {@code training-curves.png}: loss (training and validation) on the left, accuracy on the
 * right, per epoch, with the best epoch marked and the headline numbers in the title.
 */
public final class TrainingCurvesPlot {

  /** The file name next to the artifact. */
  public static final String FILE = "training-curves.png";

  static final Color TRAIN = new Color(31, 119, 180);
  static final Color VALIDATION = new Color(255, 127, 14);

  private TrainingCurvesPlot() {}

  /**
   * Draws and writes the plot.
   *
   * @param report the run's report
   * @param file the PNG to write
   * @throws IOException when writing fails
   */
  public static void write(RunReport report, Path file) throws IOException {
    BufferedImage image = Canvas.blank(1200, 520);
    Graphics2D g = Canvas.graphics(image);
    try {
      g.setFont(Canvas.TITLE);
      Canvas.centered(g, title(report), 600, 30);
      List<EpochMetrics> h = report.history();
      lossPanel(h).draw(g, new Rectangle(0, 50, 600, 470), report.bestEpoch());
      accuracyPanel(h).draw(g, new Rectangle(600, 50, 600, 470), report.bestEpoch());
    } finally {
      g.dispose();
    }
    Canvas.writePng(image, file);
  }

  private static String title(RunReport report) {
    String test =
        report.test() == null
            ? ""
            : String.format(", test accuracy %.2f %%", 100 * report.test().accuracy());
    return String.format(
        "%s v%s: validation accuracy %.2f %% (epoch %d)%s, %.1f min",
        report.modelName(),
        report.version(),
        100 * report.validation().accuracy(),
        report.bestEpoch(),
        test,
        report.trainingSeconds() / 60);
  }

  private static LinePanel lossPanel(List<EpochMetrics> h) {
    double[] train = h.stream().mapToDouble(EpochMetrics::trainLoss).toArray();
    double[] validation = h.stream().mapToDouble(EpochMetrics::validationLoss).toArray();
    // An early validation loss can be a hundred times the rest (batch-norm statistics still
    // settling); it would flatten every other point, so the axis stops at 2.5x the training loss.
    double max = Math.min(Math.max(max(train), max(validation)), 2.5 * max(train));
    return new LinePanel("Loss", 0, max, "%.2f")
        .add("training", train, TRAIN)
        .add("validation", validation, VALIDATION);
  }

  private static LinePanel accuracyPanel(List<EpochMetrics> h) {
    double[] train = h.stream().mapToDouble(e -> 100 * e.trainAccuracy()).toArray();
    double[] validation = h.stream().mapToDouble(e -> 100 * e.validationAccuracy()).toArray();
    double min = Math.min(min(train), min(validation));
    return new LinePanel("Accuracy (%)", min, 100, "%.0f")
        .add("training", train, TRAIN)
        .add("validation", validation, VALIDATION);
  }

  private static double max(double[] values) {
    double max = 0;
    for (double v : values) {
      max = Math.max(max, v);
    }
    return max;
  }

  private static double min(double[] values) {
    double min = 100;
    for (double v : values) {
      min = Math.min(min, v);
    }
    return min;
  }
}
