package io.glimpse.trainer.report;

import io.glimpse.trainer.metrics.EpochMetrics;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws {@code training-curves.png} with JFreeChart: loss (training and validation) above accuracy,
 * per epoch on a shared axis, with the best epoch marked and the headline numbers in the title.
 */
public final class TrainingCurvesPlot {

  /** The file name next to the artifact. */
  public static final String FILE = "training-curves.png";

  static final Color TRAIN = new Color(31, 119, 180);
  static final Color VALIDATION = new Color(255, 127, 14);

  private static final int WIDTH = 1000;
  private static final int HEIGHT = 800;

  private TrainingCurvesPlot() {}

  /**
   * Draws and writes the plot.
   *
   * @param report the run's report
   * @param file the PNG to write
   * @throws IOException when writing fails
   */
  public static void write(RunReport report, Path file) throws IOException {
    List<EpochMetrics> h = report.history();
    NumberAxis epochs = new NumberAxis("epoch");
    epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    epochs.setRange(h.size() > 1 ? 1 : 0.5, h.size() > 1 ? h.size() : 1.5);
    CombinedDomainXYPlot combined = new CombinedDomainXYPlot(epochs);
    combined.setGap(16);
    // An early validation loss can be a hundred times the rest (batch-norm statistics still
    // settling); it would flatten every other point, so the axis stops at 2.5x the training loss.
    double trainMax = max(h, EpochMetrics::trainLoss);
    double lossTop =
        Math.min(Math.max(trainMax, max(h, EpochMetrics::validationLoss)), 2.5 * trainMax);
    XYPlot loss =
        panel(h, "loss", EpochMetrics::trainLoss, EpochMetrics::validationLoss, 0, lossTop);
    double lowest =
        Math.min(min(h, EpochMetrics::trainAccuracy), min(h, EpochMetrics::validationAccuracy));
    XYPlot accuracy =
        panel(
            h,
            "accuracy (%)",
            e -> 100 * e.trainAccuracy(),
            e -> 100 * e.validationAccuracy(),
            Math.max(0, Math.floor(100 * lowest / 5) * 5 - 5),
            100);
    ((NumberAxis) accuracy.getRangeAxis()).setNumberFormatOverride(new DecimalFormat("0"));
    markBest(loss, report.bestEpoch(), true);
    markBest(accuracy, report.bestEpoch(), false);
    combined.add(loss, 1);
    combined.add(accuracy, 1);
    LegendItemCollection legend = loss.getLegendItems();
    combined.setFixedLegendItems(legend);

    JFreeChart chart = new JFreeChart(title(report), ChartFiles.TITLE, combined, true);
    ChartFiles.style(chart);
    ChartFiles.grid(combined);
    if (max(h, EpochMetrics::validationLoss) > lossTop) {
      ChartFiles.subtitle(
          chart, String.format("loss values above %.2f are drawn at the top of the axis", lossTop));
    }
    ChartFiles.writePng(chart, WIDTH, HEIGHT, file);
  }

  private static XYPlot panel(
      List<EpochMetrics> h,
      String label,
      ToDoubleFunction<EpochMetrics> train,
      ToDoubleFunction<EpochMetrics> validation,
      double low,
      double high) {
    double top = high > low ? high : low + 1;
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(series("training", h, train, top));
    data.addSeries(series("validation", h, validation, top));
    NumberAxis y = new NumberAxis(label);
    y.setRange(low, top);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    renderer.setSeriesPaint(0, TRAIN);
    renderer.setSeriesPaint(1, VALIDATION);
    for (int s = 0; s < 2; s++) {
      renderer.setSeriesStroke(s, new BasicStroke(2.5f));
      // The same marker in both panels and the legend (a combined plot would vary them).
      renderer.setSeriesShape(s, new Ellipse2D.Double(-4, -4, 8, 8));
    }
    XYPlot plot = new XYPlot(data, null, y, renderer);
    ChartFiles.grid(plot);
    return plot;
  }

  /** One point per epoch (x = 1, 2, …), values above the axis drawn at its top. */
  private static XYSeries series(
      String name, List<EpochMetrics> h, ToDoubleFunction<EpochMetrics> value, double top) {
    XYSeries series = new XYSeries(name);
    for (int i = 0; i < h.size(); i++) {
      series.add(i + 1, Math.min(top, value.applyAsDouble(h.get(i))));
    }
    return series;
  }

  private static void markBest(XYPlot plot, int bestEpoch, boolean labelled) {
    if (bestEpoch < 1) {
      return;
    }
    ValueMarker marker =
        new ValueMarker(
            bestEpoch,
            new Color(120, 120, 120),
            new BasicStroke(
                1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
    if (labelled) {
      marker.setLabel("best epoch");
      marker.setLabelFont(ChartFiles.SUBTITLE);
      marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
      marker.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
    }
    plot.addDomainMarker(marker);
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

  private static double max(List<EpochMetrics> h, ToDoubleFunction<EpochMetrics> value) {
    return h.stream().mapToDouble(value).max().orElse(0);
  }

  private static double min(List<EpochMetrics> h, ToDoubleFunction<EpochMetrics> value) {
    return h.stream().mapToDouble(value).min().orElse(1);
  }
}
