package io.glimpse.trainer.report;

import io.glimpse.trainer.metrics.ClassificationReport;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Draws {@code confusion-matrix.png}: one row per actual class, one column per predicted class,
 * each cell shaded by the share of its row and labelled with its count; the diagonal is the
 * classes' accuracy, shown at the end of each row.
 */
public final class ConfusionMatrixPlot {

  /** The file name next to the artifact. */
  public static final String FILE = "confusion-matrix.png";

  private static final int CELL = 58;
  private static final int LEFT = 150;
  private static final int TOP = 150;

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
    int n = report.classes().size();
    BufferedImage image = Canvas.blank(LEFT + n * CELL + 110, TOP + n * CELL + 60);
    Graphics2D g = Canvas.graphics(image);
    try {
      g.setFont(Canvas.TITLE);
      g.drawString(
          String.format(
              "%s: accuracy %.2f %% on %d images", title, 100 * report.accuracy(), report.total()),
          20,
          30);
      labels(g, report.classes());
      cells(g, report);
    } finally {
      g.dispose();
    }
    Canvas.writePng(image, file);
  }

  private static void labels(Graphics2D g, List<String> classes) {
    g.setFont(Canvas.LABEL);
    g.setColor(Color.BLACK);
    int n = classes.size();
    g.drawString("actual ↓   predicted →", 20, TOP - 10);
    for (int i = 0; i < n; i++) {
      String label = classes.get(i);
      int y = TOP + i * CELL + CELL / 2 + 5;
      g.drawString(label, LEFT - 10 - g.getFontMetrics().stringWidth(label), y);
      AffineTransform old = g.getTransform();
      g.translate(LEFT + i * CELL + CELL / 2 + 4, TOP - 8);
      g.rotate(-Math.PI / 4);
      g.drawString(label, 0, 0);
      g.setTransform(old);
    }
    g.drawString("accuracy", LEFT + n * CELL + 12, TOP - 10);
  }

  private static void cells(Graphics2D g, ClassificationReport report) {
    long[][] confusion = report.confusion();
    double[] perClass = report.perClassAccuracy();
    g.setFont(Canvas.SMALL);
    for (int a = 0; a < confusion.length; a++) {
      long rowTotal = java.util.Arrays.stream(confusion[a]).sum();
      for (int p = 0; p < confusion.length; p++) {
        double share = rowTotal == 0 ? 0 : (double) confusion[a][p] / rowTotal;
        int x = LEFT + p * CELL;
        int y = TOP + a * CELL;
        g.setColor(shade(share, a == p));
        g.fillRect(x, y, CELL, CELL);
        g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
        Canvas.centered(g, Long.toString(confusion[a][p]), x + CELL / 2, y + CELL / 2 + 4);
      }
      g.setColor(Color.BLACK);
      String accuracy =
          Double.isNaN(perClass[a]) ? "-" : String.format("%.1f %%", 100 * perClass[a]);
      g.drawString(accuracy, LEFT + confusion.length * CELL + 12, TOP + a * CELL + CELL / 2 + 4);
    }
    g.setColor(Color.GRAY);
    g.drawRect(LEFT, TOP, confusion.length * CELL, confusion.length * CELL);
  }

  /** White to blue on the diagonal, white to red off it: mistakes stand out. */
  private static Color shade(double share, boolean diagonal) {
    double t = diagonal ? share : Math.min(1, share * 4);
    int fade = (int) Math.round(255 * (1 - t));
    return diagonal
        ? new Color(fade, (int) Math.round(255 - t * 150), 255)
        : new Color(255, fade, fade);
  }
}
