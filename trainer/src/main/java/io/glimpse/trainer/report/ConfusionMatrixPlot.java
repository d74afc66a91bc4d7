package io.glimpse.trainer.report;

import io.glimpse.trainer.metrics.ClassificationReport;
import java.awt.Color;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * Draws {@code confusion-matrix.png} with JFreeChart: one row per actual class, one column per
 * predicted class, each cell shaded by the share of its row and labelled with its count; the
 * diagonal is the classes' accuracy, shown on the right-hand axis at the end of each row.
 */
public final class ConfusionMatrixPlot {

  /** The file name next to the artifact. */
  public static final String FILE = "confusion-matrix.png";

  private static final int CELL = 58;

  private ConfusionMatrixPlot() {}

  /**
   * Draws and writes the plot.
   *
   * @param report the evaluation to show
   * @param title e.g. {@code "fashion v3, test set"}
   * @param file the PNG to write
   * @throws IOException when writing fails
   */
  public static void write(ClassificationReport report, String title, Path file)
      throws IOException {
    List<String> classes = report.classes();
    int n = classes.size();
    XYPlot plot =
        new XYPlot(
            cells(report.confusion()),
            axis("predicted", classes.toArray(String[]::new), false),
            axis("actual", classes.toArray(String[]::new), true),
            renderer());
    ((SymbolAxis) plot.getDomainAxis()).setVerticalTickLabels(true);
    plot.setRangeAxis(1, axis("accuracy", accuracies(report.perClassAccuracy()), true));
    plot.setRangeAxisLocation(1, AxisLocation.BOTTOM_OR_RIGHT);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    counts(plot, report.confusion());

    JFreeChart chart =
        new JFreeChart(
            String.format(
                "%s: accuracy %.2f %% on %d images",
                title, 100 * report.accuracy(), report.total()),
            ChartFiles.TITLE,
            plot,
            false);
    ChartFiles.style(chart);
    ChartFiles.subtitle(
        chart, "images per cell; blue: share of the row predicted right, red: mistakes");
    ChartFiles.writePng(chart, 260 + n * CELL, 260 + n * CELL, file);
  }

  /** x = predicted, y = actual, z = the shade: the row's share, negative off the diagonal. */
  private static DefaultXYZDataset cells(long[][] confusion) {
    int n = confusion.length;
    double[][] series = new double[3][n * n];
    for (int a = 0; a < n; a++) {
      long rowTotal = Arrays.stream(confusion[a]).sum();
      for (int p = 0; p < n; p++) {
        double share = rowTotal == 0 ? 0 : (double) confusion[a][p] / rowTotal;
        int i = a * n + p;
        series[0][i] = p;
        series[1][i] = a;
        series[2][i] = a == p ? share : -share;
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("confusion", series);
    return data;
  }

  /** One tick per class; rows are inverted so the first class is on top, as a matrix reads. */
  private static SymbolAxis axis(String label, String[] symbols, boolean rows) {
    SymbolAxis axis = new SymbolAxis(label, symbols);
    axis.setGridBandsVisible(false);
    axis.setAutoRange(false);
    axis.setRange(-0.5, symbols.length - 0.5);
    axis.setInverted(rows);
    return axis;
  }

  private static String[] accuracies(double[] perClass) {
    return Arrays.stream(perClass)
        .mapToObj(a -> Double.isNaN(a) ? "-" : String.format("%.1f %%", 100 * a))
        .toArray(String[]::new);
  }

  private static XYBlockRenderer renderer() {
    XYBlockRenderer renderer = new XYBlockRenderer();
    renderer.setPaintScale(new Shades());
    return renderer;
  }

  private static void counts(XYPlot plot, long[][] confusion) {
    for (int a = 0; a < confusion.length; a++) {
      long rowTotal = Arrays.stream(confusion[a]).sum();
      for (int p = 0; p < confusion.length; p++) {
        XYTextAnnotation count = new XYTextAnnotation(Long.toString(confusion[a][p]), p, a);
        count.setFont(ChartFiles.SUBTITLE);
        boolean dark = rowTotal > 0 && (double) confusion[a][p] / rowTotal > 0.5;
        count.setPaint(dark ? Color.WHITE : Color.BLACK);
        plot.addAnnotation(count);
      }
    }
  }

  /** White to blue on the diagonal (z ≥ 0), white to red off it (z < 0): mistakes stand out. */
  private static final class Shades implements PaintScale {
    @Override
    public double getLowerBound() {
      return -1;
    }

    @Override
    public double getUpperBound() {
      return 1;
    }

    @Override
    public Paint getPaint(double z) {
      boolean diagonal = z >= 0;
      double t = diagonal ? Math.min(1, z) : Math.min(1, -z * 4);
      int fade = (int) Math.round(255 * (1 - t));
      return diagonal
          ? new Color(fade, (int) Math.round(255 - t * 150), 255)
          : new Color(255, fade, fade);
    }
  }
}
